// Worker thread of `recordSimEpisodes`: its own RobotEnv runs scripted-expert rollouts and sends each
// recorded episode back with its buffers moved, not copied; the main thread writes them in order.
import { parentPort, workerData } from "node:worker_threads";
import { RobotEnv } from "../sim/robot-env.js";
import { rollout, type Episode as SimEpisode } from "../sim/rollout.js";
import { suite, type SuiteName } from "../sim/tasks.js";

export type ToRecorder = { type: "job"; suite: SuiteName; index: number } | { type: "close" };
export type FromRecorder = { type: "episode"; index: number; episode: SimEpisode } | { type: "error"; message: string; stack?: string } | { type: "closed" };

/** Every typed-array buffer of a recorded episode, to move to the other thread. */
export function episodeBuffers(ep: SimEpisode): ArrayBuffer[] {
  const arrays = [ep.frontRgb, ep.wristRgb, ep.states, ep.actions, ep.eePos, ep.eeQuat, ep.gripper, ep.joints, ep.scene.objectPositions, ep.scene.objectQuats, ep.scene.planDone];
  for (const c of Object.values(ep.scene.cameras)) arrays.push(c.poses);
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

const port = parentPort;
if (port) {
  const { imageSize } = workerData as { imageSize: number };
  const env = await RobotEnv.create({ imageSize });
  port.on("message", (m: ToRecorder) => {
    if (m.type === "close") {
      env.dispose();
      port.postMessage({ type: "closed" } satisfies FromRecorder);
      port.close();
      return;
    }
    try {
      const tasks = suite(m.suite);
      const task = tasks[m.index % tasks.length];
      const episode = rollout(env, task, task.initSeeds[Math.floor(m.index / tasks.length) % task.initSeeds.length]);
      port.postMessage({ type: "episode", index: m.index, episode } satisfies FromRecorder, episodeBuffers(episode));
    } catch (e) {
      port.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined } satisfies FromRecorder);
    }
  });
}
