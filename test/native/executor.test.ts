// Native jobs run on the device executor thread: the event loop stays free while they work.
import { describe, expect, it } from "vitest";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon } from "../helpers/paths.js";

describe.skipIf(!hasAddon)(`native executor${hasAddon ? "" : ` — skipped: ${ADDON_MISSING}`}`, () => {
  it("keeps timers firing during a multi-second native job", async () => {
    const core = getNativeCore();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const started = Date.now();
    const job = core.matmulBenchmark("cpu", 256, 2);
    // The call returned a pending Promise at once; the job runs elsewhere.
    expect(Date.now() - started).toBeLessThan(1000);
    const result = await job;
    clearInterval(timer);
    expect(result.seconds).toBeGreaterThanOrEqual(2);
    expect(result.iterations).toBeGreaterThan(0);
    // A blocked loop would have run the interval at most once or twice.
    expect(ticks).toBeGreaterThan(10);
  });

  it("runs jobs of one device in order and settles each Promise", async () => {
    const core = getNativeCore();
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => core.matmulBenchmark("cpu", 32, 0.05).then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("rejects a job with a typed error instead of crashing the process", async () => {
    const core = getNativeCore();
    await expect(core.matmulBenchmark("cuda:7", 8, 0.1)).rejects.toMatchObject({ name: "NativeCoreError", op: "matmulBenchmark", code: "E_DEVICE" });
    await expect(core.matmulBenchmark("tpu", 8, 0.1)).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT" });
  });
});
