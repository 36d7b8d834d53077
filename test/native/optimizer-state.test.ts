// Exact resume: weights (safetensors, float32) + AdamW state (saveOptimizerState) written after k
// steps, loaded into a fresh model, continue bit for bit like the uninterrupted run.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint } from "../../src/model/checkpoint.js";
import { textConfigJson } from "../../src/model/hf-config.js";
import { textPreset } from "../../src/model/presets.js";
import type { ModelHandle, NativeCore, OptimizerOptions, PolicyBatch, TrainBatch } from "../../src/native/contract.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon } from "../helpers/paths.js";
import { readTensors } from "../helpers/tensors.js";

const config = textPreset("tiny-text");
const options: OptimizerOptions = { lr: 3e-3, betas: [0.9, 0.95], eps: 1e-8, weightDecay: 0.1, maxGradNorm: 1, freeze: ["model.layers.0.mlp.*"] };
const sft: TrainBatch = { inputIds: Int32Array.from([4, 8, 15, 16, 23, 42, 7]), batch: 1, seqLen: 7, labels: Int32Array.from([-100, -100, 15, 16, 23, 42, 7]) };
const policy: PolicyBatch = {
  inputIds: Int32Array.from([4, 8, 15, 16, 23, 42, 7]),
  batch: 1,
  seqLen: 7,
  responseMask: Uint8Array.from([0, 0, 0, 1, 1, 1, 1]),
  advantages: Float32Array.from([0, 0, 0, 0.8, 0.8, 0.8, 0.8]),
  oldLogprobs: Float32Array.from([0, 0, 0, -6.5, -7, -6.9, -7.1]),
  refLogprobs: Float32Array.from([0, 0, 0, -6.9, -6.9, -6.9, -6.9]),
};

/** One training step of the run: SFT and GRPO steps alternate. */
async function step(core: NativeCore, h: ModelHandle, i: number): Promise<void> {
  const lr = 3e-3 * (1 - 0.05 * i);
  const applied =
    i % 2 === 0
      ? (await core.sftStep(h, { microBatches: [sft], lr })).applied
      : (await core.policyStep(h, { microBatches: [policy], lr, loss: { clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3, klCoef: 0.01, klPenalty: "low_var_kl", useKlLoss: true, lossAvgMode: "token", temperature: 1 } })).applied;
  expect(applied).toBe(true);
}

async function weightsOf(core: NativeCore, h: ModelHandle): Promise<Map<string, Float64Array>> {
  const dir = mkdtempSync(join(tmpdir(), "roboalign-optstate-w-"));
  await core.save(h, { dir, dtype: "float32", maxShardBytes: 1e10 });
  return new Map([...readTensors(join(dir, "model.safetensors"))].map(([k, t]) => [k, t.data]));
}

function identical(a: Map<string, Float64Array>, b: Map<string, Float64Array>): boolean {
  return [...a].every(([k, x]) => x.every((v, i) => Object.is(v, b.get(k)![i])));
}

describe.skipIf(!hasAddon)(`optimizer state for exact resume${hasAddon ? "" : ` — skipped: ${ADDON_MISSING}`}`, () => {
  const core = hasAddon ? getNativeCore() : (undefined as never);
  const k = 3;
  const m = 4;

  it("resumes bit for bit from saved weights + optimizer state", async () => {
    const run = await core.initModel({ config, device: "cpu", dtype: "float32", seed: 21 });
    await core.configureOptimizer(run, options);
    for (let i = 0; i < k; i++) await step(core, run, i);
    const dir = mkdtempSync(join(tmpdir(), "roboalign-optstate-"));
    await saveCheckpoint(core, run, dir, textConfigJson(config));
    const statePath = join(dir, "optimizer.pt");
    const saved = await core.saveOptimizerState(run, statePath);
    expect(saved.step).toBe(k);
    expect(existsSync(`${statePath}.tmp`)).toBe(false);
    for (let i = k; i < k + m; i++) await step(core, run, i);
    const uninterrupted = await weightsOf(core, run);
    await core.dispose(run);

    const resumed = await loadCheckpoint(core, dir);
    await core.configureOptimizer(resumed.handle, options);
    const loaded = await core.loadOptimizerState(resumed.handle, statePath);
    expect(loaded).toEqual(saved);
    for (let i = k; i < k + m; i++) await step(core, resumed.handle, i);
    expect(identical(await weightsOf(core, resumed.handle), uninterrupted)).toBe(true);
    await core.dispose(resumed.handle);

    // Without the optimizer state the same steps land elsewhere: the state is what makes it exact.
    const fresh = await loadCheckpoint(core, dir);
    await core.configureOptimizer(fresh.handle, options);
    for (let i = k; i < k + m; i++) await step(core, fresh.handle, i);
    expect(identical(await weightsOf(core, fresh.handle), uninterrupted)).toBe(false);
    await core.dispose(fresh.handle);
  });

  it("refuses states that do not fit the configured optimizer, with E_CHECKPOINT", async () => {
    const h = await core.initModel({ config, device: "cpu", dtype: "float32", seed: 22 });
    const dir = mkdtempSync(join(tmpdir(), "roboalign-optstate-bad-"));
    const path = join(dir, "optimizer.pt");
    await expect(core.saveOptimizerState(h, path)).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT", message: /configureOptimizer/ });
    await core.configureOptimizer(h, options);
    await step(core, h, 0);
    await core.saveOptimizerState(h, path);

    const other = await core.initModel({ config, device: "cpu", dtype: "float32", seed: 22 });
    await expect(core.loadOptimizerState(other, path)).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT", message: /configureOptimizer/ });
    await core.configureOptimizer(other, { ...options, freeze: [] });
    await expect(core.loadOptimizerState(other, path)).rejects.toMatchObject({ code: "E_CHECKPOINT", message: /parameters but the configured optimizer trains/ });
    await core.configureOptimizer(other, { ...options, freeze: ["model.layers.1.mlp.*"] });
    await expect(core.loadOptimizerState(other, path)).rejects.toMatchObject({ code: "E_CHECKPOINT", message: /model\.layers\.0\.mlp/ });

    const wider = await core.initModel({ config: { ...config, vocabSize: config.vocabSize + 64 }, device: "cpu", dtype: "float32", seed: 22 });
    await core.configureOptimizer(wider, options);
    await expect(core.loadOptimizerState(wider, path)).rejects.toMatchObject({ code: "E_CHECKPOINT", message: /shape/ });

    await expect(core.loadOptimizerState(h, join(dir, "absent.pt"))).rejects.toMatchObject({ code: "E_FILE_NOT_FOUND" });
    writeFileSync(join(dir, "garbage.pt"), "not an archive");
    await expect(core.loadOptimizerState(h, join(dir, "garbage.pt"))).rejects.toMatchObject({ code: "E_CHECKPOINT" });
    await expect(core.saveOptimizerState(h, join(dir, "no", "such", "dir.pt"))).rejects.toMatchObject({ code: "E_FILE_NOT_FOUND" });
    await Promise.all([h, other, wider].map((x) => core.dispose(x)));
  });
});
