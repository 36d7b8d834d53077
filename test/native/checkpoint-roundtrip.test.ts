// Checkpoints written by the project: they load back natively with identical outputs (single
// file, shards, bf16), and Hugging Face transformers loads them with no missing or unexpected
// keys and reproduces the logits.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint, type LoadedModel } from "../../src/model/checkpoint.js";
import { defaultSpecialIds, textConfigJson, vlConfigJson } from "../../src/model/hf-config.js";
import { modelPreset } from "../../src/model/presets.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon, hasTransformers, python, repoRoot, TRANSFORMERS_MISSING } from "../helpers/paths.js";
import { maxAbsDiff } from "../helpers/tensors.js";

const ids = [3, 14, 15, 9, 26, 5, 35, 8];

/** transformers loads `dir` with no missing or unexpected keys and gives `logits` for `ids`. */
function expectTransformersMatches(dir: string, logits: Float32Array): void {
  const out = join(dir, "hf.json");
  const r = spawnSync(python, [join(repoRoot, "scripts", "reference", "hf_forward.py"), "--model", dir, "--input-ids", ids.join(","), "--out", out], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  const hf = JSON.parse(readFileSync(out, "utf8")) as { logits: number[][][]; missing: string[]; unexpected: string[] };
  expect([hf.missing, hf.unexpected]).toEqual([[], []]);
  expect(maxAbsDiff(Float32Array.from(hf.logits[0].flat()), logits)).toBeLessThan(1e-5);
}

describe.skipIf(!hasAddon)(`checkpoint round trips${hasAddon ? "" : ` — skipped: ${ADDON_MISSING}`}`, () => {
  const core = hasAddon ? getNativeCore() : (undefined as never);
  let source: LoadedModel;
  let reference: Float32Array;

  const logitsOf = async (dir: string, dtype: "float32" | "bfloat16" = "float32") => {
    const m = await loadCheckpoint(core, dir, { dtype });
    try {
      return (await core.forward(m.handle, { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length }, {})).logits!;
    } finally {
      await core.dispose(m.handle);
    }
  };

  beforeAll(async () => {
    source = await loadCheckpoint(core, join(repoRoot, "test", "fixtures", "qwen2", "tiny_untied"));
    reference = (await core.forward(source.handle, { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length }, {})).logits!;
  });
  afterAll(async () => {
    if (source) await core.dispose(source.handle);
  });

  it("saves one file and loads it back bit for bit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "roboalign-ckpt-"));
    await saveCheckpoint(core, source.handle, dir, source.config.raw);
    expect(existsSync(join(dir, "model.safetensors"))).toBe(true);
    expect(existsSync(join(dir, "model.safetensors.index.json"))).toBe(false);
    expect(maxAbsDiff(await logitsOf(dir), reference)).toBe(0);
  });

  it("shards large checkpoints with an index that lists every tensor", async () => {
    const dir = mkdtempSync(join(tmpdir(), "roboalign-shards-"));
    await saveCheckpoint(core, source.handle, dir, source.config.raw, { maxShardBytes: 20_000 });
    const index = JSON.parse(readFileSync(join(dir, "model.safetensors.index.json"), "utf8")) as { weight_map: Record<string, string> };
    const files = new Set(Object.values(index.weight_map));
    expect(files.size).toBeGreaterThan(2);
    expect([...files].every((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f))).toBe(true);
    expect(Object.keys(index.weight_map)).toHaveLength(27);
    expect(maxAbsDiff(await logitsOf(dir), reference)).toBe(0);
  });

  it("saves bf16 weights that load and stay close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "roboalign-bf16-"));
    await saveCheckpoint(core, source.handle, dir, source.config.raw, { dtype: "bfloat16" });
    expect(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")).torch_dtype).toBe("bfloat16");
    expect(maxAbsDiff(await logitsOf(dir), reference)).toBeLessThan(0.1);
  });

  it.skipIf(!hasTransformers())(`loads in transformers with identical logits${hasTransformers() ? "" : ` — skipped: ${TRANSFORMERS_MISSING}`}`, async () => {
    for (const tie of [false, true]) {
      const config = { ...source.config.text, tieWordEmbeddings: tie, vocabSize: 50 };
      const h = await core.initModel({ config, device: "cpu", dtype: "float32", seed: 3 });
      const dir = mkdtempSync(join(tmpdir(), "roboalign-hf-"));
      await saveCheckpoint(core, h, dir, textConfigJson(config));
      const mine = (await core.forward(h, { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length }, {})).logits!;
      await core.dispose(h);
      expectTransformersMatches(dir, mine);
    }
  });

  it.skipIf(!hasTransformers())(`writes Qwen2.5-VL checkpoints transformers loads with no missing keys${hasTransformers() ? "" : ` — skipped: ${TRANSFORMERS_MISSING}`}`, async () => {
    const { text, vision } = modelPreset("tiny");
    const spec = { config: vision!, imageTokenId: defaultSpecialIds(text.vocabSize).imagePad };
    const h = await core.initModel({ config: text, vision: spec, device: "cpu", dtype: "float32", seed: 4 });
    const dir = mkdtempSync(join(tmpdir(), "roboalign-hf-vl-"));
    await saveCheckpoint(core, h, dir, vlConfigJson(text, vision!, defaultSpecialIds(text.vocabSize)));
    const mine = (await core.forward(h, { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length }, {})).logits!;
    await core.dispose(h);
    expectTransformersMatches(dir, mine);
    // And it loads back natively with its vision tower.
    const again = await loadCheckpoint(core, dir);
    expect(again.config.vision?.config).toEqual(vision);
    await core.dispose(again.handle);
  });
});
