// Benchmark of the embedded simulator (shared/reference/simulation.md §2.5): episodes/s and WASM/JS heap over N expert episodes.
// Usage: npx tsc -p tsconfig.json && node scripts/bench-sim.mjs [episodes=200] [imageSize=128] [render=1]
import { RobotEnv, heapBytes, rollout, suites } from "../dist/sim/index.js";

const episodes = Number(process.argv[2] ?? 200);
const size = Number(process.argv[3] ?? 128);
const render = (process.argv[4] ?? "1") !== "0";
const env = await RobotEnv.create({ imageSize: size, render });
const tasks = Object.values(suites()).flat();
const mb = (b) => (b / 2 ** 20).toFixed(1);
let ok = 0, steps = 0;
const t0 = performance.now();
for (let i = 0; i < episodes; i++) {
  const task = tasks[i % tasks.length];
  const ep = rollout(env, task, task.initSeeds[Math.floor(i / tasks.length) % task.initSeeds.length]);
  ok += ep.success ? 1 : 0;
  steps += ep.steps;
  if (i === 0 || (i + 1) % 50 === 0) {
    console.log(`episode ${i + 1}: wasm heap ${mb(heapBytes(env.mj))} MB, js heap ${mb(process.memoryUsage().heapUsed)} MB, rss ${mb(process.memoryUsage().rss)} MB`);
  }
}
const s = (performance.now() - t0) / 1000;
console.log(`${episodes} episodes (${size}px, render=${render}) in ${s.toFixed(1)} s: ${(episodes / s).toFixed(2)} episodes/s, ${((1000 * s) / steps).toFixed(2)} ms/step, expert success ${ok}/${episodes}`);
env.dispose();
console.log(`after dispose: wasm heap ${mb(heapBytes(env.mj))} MB`);
