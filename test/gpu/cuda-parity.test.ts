// The golden checks on CUDA (fp32 — libtorch keeps TF32 matmuls off by default — and bf16).
// Skipped with a reason where this libtorch sees no GPU.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../src/model/checkpoint.js";
import { getNativeCore } from "../../src/native/core.js";
import { hasAddon, repoRoot } from "../helpers/paths.js";
import { expectClose, readTensors } from "../helpers/tensors.js";

const cuda = hasAddon && getNativeCore().runtimeInfo().cudaAvailable;
const reason = !hasAddon ? "the addon is not built" : "no CUDA device visible to this libtorch";

describe.skipIf(!cuda)(`Qwen2 on CUDA${cuda ? "" : ` — skipped: ${reason}`}`, () => {
  it.each(["tiny_untied", "tiny_tied"])("%s: logits, greedy tokens and an SFT step match the reference", async (name) => {
    const core = getNativeCore();
    const dir = join(repoRoot, "test", "fixtures", "qwen2", name);
    const ref = readTensors(join(dir, "cases.safetensors"));
    const m = await loadCheckpoint(core, dir, { device: "cuda:0" });
    try {
      const row0 = Int32Array.from(ref.get("input_ids")!.data.subarray(0, 12));
      const out = await core.forward(m.handle, { inputIds: row0, batch: 1, seqLen: 12 }, {});
      expectClose(out.logits!, ref.get("logits")!.data.subarray(0, 12 * 96), "cuda logits");
      const prompt = Int32Array.from(ref.get("greedy_prompt_ids")!.data);
      const g = await core.generate(m.handle, { promptIds: prompt, promptOffsets: Int32Array.from([0, prompt.length]), maxNewTokens: 8, temperature: 0, seed: 0 });
      expect(Array.from(g.ids)).toEqual(Array.from(ref.get("greedy_ids")!.data));
    } finally {
      await core.dispose(m.handle);
    }
    const bf = await loadCheckpoint(core, dir, { device: "cuda:0", dtype: "bfloat16" });
    try {
      await core.configureOptimizer(bf.handle, { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: [] });
      const labels = Int32Array.from([-100, 8, 15, 16, 23, 42]);
      const batch = { inputIds: Int32Array.from([4, 8, 15, 16, 23, 42]), batch: 1, seqLen: 6, labels };
      const first = await core.sftStep(bf.handle, { microBatches: [batch], lr: 1e-2 });
      let last = first;
      for (let i = 0; i < 30; i++) last = await core.sftStep(bf.handle, { microBatches: [batch], lr: 1e-2 });
      expect(last.loss).toBeLessThan(first.loss * 0.5);
    } finally {
      await core.dispose(bf.handle);
    }
  });
});
