// Freezing by name pattern, sampling filters, and the guard against non-finite updates.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint } from "../../src/model/checkpoint.js";
import type { TrainBatch } from "../../src/native/contract.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon, repoRoot } from "../helpers/paths.js";
import { readTensors } from "../helpers/tensors.js";

const modelDir = join(repoRoot, "test", "fixtures", "qwen2", "tiny_untied");
const batch: TrainBatch = { inputIds: Int32Array.from([4, 8, 15, 16, 23, 42]), batch: 1, seqLen: 6, labels: Int32Array.from([-100, 8, 15, 16, 23, 42]) };

describe.skipIf(!hasAddon)(`training options and sampling filters${hasAddon ? "" : ` — skipped: ${ADDON_MISSING}`}`, () => {
  const core = hasAddon ? getNativeCore() : (undefined as never);

  it("leaves frozen parameters untouched and reports the split", async () => {
    const m = await loadCheckpoint(core, modelDir);
    const split = await core.configureOptimizer(m.handle, { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.1, maxGradNorm: 1, freeze: ["model.embed_tokens.*", "model.layers.0.*"] });
    expect(split.frozen).toBeGreaterThan(0);
    expect(split.trainable + split.frozen).toBe(core.modelInfo(m.handle).numParameters);
    expect(core.modelInfo(m.handle).numTrainable).toBe(split.trainable);
    await core.sftStep(m.handle, { microBatches: [batch], lr: 1e-2 });
    const dir = mkdtempSync(join(tmpdir(), "roboalign-freeze-"));
    await saveCheckpoint(core, m.handle, dir, m.config.raw);
    await core.dispose(m.handle);
    const before = readTensors(join(modelDir, "model.safetensors"));
    const after = readTensors(join(dir, "model.safetensors"));
    for (const [name, t] of before) {
      const same = Array.from(after.get(name)!.data).every((x, i) => x === t.data[i]);
      const frozen = name.startsWith("model.embed_tokens.") || name.startsWith("model.layers.0.");
      expect(same, name).toBe(frozen);
    }
  });

  it("refuses to train when every parameter is frozen", async () => {
    const m = await loadCheckpoint(core, modelDir);
    await expect(core.configureOptimizer(m.handle, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: ["*"] })).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT" });
    await expect(core.sftStep(m.handle, { microBatches: [batch], lr: 1e-3 })).rejects.toThrow(/configureOptimizer/);
    await core.dispose(m.handle);
  });

  it("skips a step whose loss is not finite instead of corrupting the weights", async () => {
    const m = await loadCheckpoint(core, modelDir);
    await core.configureOptimizer(m.handle, { lr: 1e30, betas: [0.9, 0.999], eps: 1e-30, weightDecay: 0, maxGradNorm: 0, freeze: [] });
    let skipped = false;
    for (let i = 0; i < 6 && !skipped; i++) skipped = !(await core.sftStep(m.handle, { microBatches: [batch], lr: 1e30 })).applied;
    expect(skipped).toBe(true);
    await core.dispose(m.handle);
  });

  it("top-k 1 and a tiny top-p both reduce sampling to greedy", async () => {
    const m = await loadCheckpoint(core, modelDir);
    const prompt = { promptIds: Int32Array.from([4, 8, 15, 16, 5, 6, 7]), promptOffsets: Int32Array.from([0, 4, 7]), maxNewTokens: 10 };
    const greedy = await core.generate(m.handle, { ...prompt, temperature: 0, seed: 0 });
    const topK = await core.generate(m.handle, { ...prompt, temperature: 1.5, topK: 1, seed: 123 });
    const topP = await core.generate(m.handle, { ...prompt, temperature: 1.5, topP: 1e-6, seed: 456 });
    expect(Array.from(topK.ids)).toEqual(Array.from(greedy.ids));
    expect(Array.from(topP.ids)).toEqual(Array.from(greedy.ids));
    // Plain sampling at a high temperature does leave the greedy path (with these seeds).
    const free = await core.generate(m.handle, { ...prompt, temperature: 1.5, seed: 123 });
    expect(Array.from(free.ids)).not.toEqual(Array.from(greedy.ids));
    await core.dispose(m.handle);
  });
});
