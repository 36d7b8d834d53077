// Child-process probe used by `roboalign doctor`: loads the addon in isolation (a broken build
// crashes this process, not the caller's) and prints its runtime facts as one JSON line.
import { getNativeCore } from "./core.js";
import { loadNativeAddon } from "./loader.js";

async function probe(): Promise<void> {
  const { path } = loadNativeAddon();
  const core = getNativeCore();
  const info = core.runtimeInfo();
  const bench = await core.matmulBenchmark("cpu", 512, 0.3);
  process.stdout.write(`${JSON.stringify({ ok: true, path, info, cpuMatmulGflops: bench.gflops })}\n`);
}

probe().catch((err: Error) => {
  process.stdout.write(`${JSON.stringify({ ok: false, error: err.message })}\n`);
  process.exitCode = 1;
});
