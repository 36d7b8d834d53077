// resize_token_embeddings for added tokens (the action vocabulary): old rows are kept, new rows
// start at the mean of the old ones (Hugging Face's mean resizing), tied and untied.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint } from "../../src/model/checkpoint.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon, repoRoot } from "../helpers/paths.js";
import { readTensors } from "../helpers/tensors.js";

describe.skipIf(!hasAddon).each(["tiny_untied", "tiny_tied"])(`resize token embeddings: %s${hasAddon ? "" : ` — skipped: ${ADDON_MISSING}`}`, (name) => {
  it("keeps old rows, initialises new rows at the old mean, and saves a matching config", async () => {
    const core = getNativeCore();
    const src = join(repoRoot, "test", "fixtures", "qwen2", name);
    const m = await loadCheckpoint(core, src);
    const info = await core.resizeTokenEmbeddings(m.handle, 110, 1);
    expect(info.vocabSize).toBe(110);
    // Ids of the new rows are now valid.
    const out = await core.forward(m.handle, { inputIds: Int32Array.from([1, 105, 109]), batch: 1, seqLen: 3 }, {});
    expect(out.logitsShape).toEqual([1, 3, 110]);
    const dir = mkdtempSync(join(tmpdir(), "roboalign-resize-"));
    await saveCheckpoint(core, m.handle, dir, m.config.raw);
    await core.dispose(m.handle);
    expect(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")).vocab_size).toBe(110);
    const before = readTensors(join(src, "model.safetensors"));
    const after = readTensors(join(dir, "model.safetensors"));
    const keys = name === "tiny_tied" ? ["model.embed_tokens.weight"] : ["model.embed_tokens.weight", "lm_head.weight"];
    expect(after.has("lm_head.weight")).toBe(name === "tiny_untied");
    for (const key of keys) {
      const old = before.get(key)!;
      const neu = after.get(key)!;
      expect(neu.shape).toEqual([110, 32]);
      expect(Array.from(neu.data.subarray(0, 96 * 32))).toEqual(Array.from(old.data));
      const mean = new Float64Array(32);
      for (let r = 0; r < 96; r++) for (let k = 0; k < 32; k++) mean[k] += old.data[r * 32 + k] / 96;
      for (let r = 96; r < 110; r++) for (let k = 0; k < 32; k++) expect(Math.abs(neu.data[r * 32 + k] - mean[k])).toBeLessThan(1e-3);
    }
    // The resized checkpoint loads again.
    const again = await loadCheckpoint(core, dir);
    expect(core.modelInfo(again.handle).vocabSize).toBe(110);
    await core.dispose(again.handle);
  });
});
