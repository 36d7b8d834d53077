// One SFT step against transformers (test/fixtures/qwen2/sft_step.*): token-mean cross-entropy
// over two accumulated micro-batches, every parameter's gradient, the pre-clip grad norm, and
// the weights after clipping (max norm 1) and one AdamW step with no decay on biases and norms.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint, type LoadedModel } from "../../src/model/checkpoint.js";
import type { TrainBatch } from "../../src/native/contract.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon, repoRoot } from "../helpers/paths.js";
import { expectClose, readTensors, type Tensor } from "../helpers/tensors.js";

const fixtures = join(repoRoot, "test", "fixtures", "qwen2");

describe.skipIf(!hasAddon)(`SFT step vs transformers${hasAddon ? "" : ` — skipped: ${ADDON_MISSING}`}`, () => {
  const core = hasAddon ? getNativeCore() : (undefined as never);
  let model: LoadedModel;
  let ref: Map<string, Tensor>;
  let batches: TrainBatch[];

  beforeAll(async () => {
    model = await loadCheckpoint(core, join(fixtures, "tiny_untied"));
    ref = readTensors(join(fixtures, "sft_step.safetensors"));
    batches = [0, 1].map((i) => ({
      inputIds: Int32Array.from(ref.get(`mb${i}.input_ids`)!.data),
      attentionMask: Uint8Array.from(ref.get(`mb${i}.attention_mask`)!.data),
      positionIds: Int32Array.from(ref.get(`mb${i}.position_ids`)!.data),
      labels: Int32Array.from(ref.get(`mb${i}.labels`)!.data),
      batch: 2,
      seqLen: 10,
    }));
  });
  afterAll(async () => {
    if (model) await core.dispose(model.handle);
  });

  it("computes the loss and every gradient of the accumulated batch", async () => {
    const g = await core.gradients(model.handle, batches);
    expect(g.tokens).toBe(ref.get("num_items")!.data[0]);
    expect(Math.abs(g.loss - ref.get("loss")!.data[0])).toBeLessThan(1e-5);
    const names = [...ref.keys()].filter((k) => k.startsWith("grad.")).map((k) => k.slice(5));
    expect(Object.keys(g.grads).sort()).toEqual(names.sort());
    for (const n of names) expectClose(g.grads[n], ref.get(`grad.${n}`)!.data, `grad ${n}`);
  });

  it("clips, steps AdamW and lands on the reference weights", async () => {
    await core.configureOptimizer(model.handle, { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.1, maxGradNorm: 1, freeze: [] });
    const r = await core.sftStep(model.handle, { microBatches: batches, lr: 1e-2 });
    expect(r.applied).toBe(true);
    expect(Math.abs(r.loss - ref.get("loss")!.data[0])).toBeLessThan(1e-5);
    expect(Math.abs(r.gradNorm - ref.get("grad_norm")!.data[0])).toBeLessThan(1e-4);
    const dir = mkdtempSync(join(tmpdir(), "roboalign-sft-"));
    await saveCheckpoint(core, model.handle, dir, model.config.raw);
    const after = readTensors(join(dir, "model.safetensors"));
    for (const [k, t] of ref) {
      if (!k.startsWith("after.")) continue;
      const name = k.slice(6);
      // Adam normalises each gradient, so tiny gradients amplify fp32 rounding: allow 3e-5 of a ~1e-2 step.
      const got = after.get(name)!.data;
      let worst = 0;
      got.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - t.data[i]))));
      expect(worst, `${name}: ${worst}`).toBeLessThan(3e-5);
    }
  });

  it("learns: the loss of one small batch falls close to zero within a few dozen steps", async () => {
    const fresh = await loadCheckpoint(core, join(fixtures, "tiny_untied"));
    try {
      await core.configureOptimizer(fresh.handle, { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: [] });
      const first = await core.sftStep(fresh.handle, { microBatches: batches, lr: 1e-2 });
      let last = first;
      for (let i = 0; i < 80 && last.loss > 0.05; i++) last = await core.sftStep(fresh.handle, { microBatches: batches, lr: 1e-2 });
      expect(first.loss).toBeGreaterThan(4);
      expect(last.loss).toBeLessThan(0.05);
    } finally {
      await core.dispose(fresh.handle);
    }
  });
});
