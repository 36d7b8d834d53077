// config.json in the 4.x flat layout and the 5.x text_config/rope_parameters layout resolve to
// the values transformers itself reads (expected values written by the fixture generator).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseHfConfig, textConfigJson, withVocabSize } from "../../../src/model/hf-config.js";
import { textPreset } from "../../../src/model/presets.js";
import { repoRoot } from "../../helpers/paths.js";

const fixtures = join(repoRoot, "test", "fixtures", "qwen2");
const summary = JSON.parse(readFileSync(join(fixtures, "summary.json"), "utf8")) as { cases: Record<string, { expected: Record<string, unknown> }> };
const read = (dir: string) => JSON.parse(readFileSync(join(fixtures, dir, "config.json"), "utf8"));

describe("parseHfConfig", () => {
  it.each(["config_v5_layout", "config_v4_flat"])("resolves %s like transformers", (dir) => {
    const e = summary.cases[`${dir}/config.json`].expected;
    const c = parseHfConfig(read(dir));
    expect(c.multimodal).toBe(true);
    expect(c.text).toMatchObject({
      hiddenSize: e.hidden_size,
      numHiddenLayers: e.num_hidden_layers,
      numAttentionHeads: e.num_attention_heads,
      numKeyValueHeads: e.num_key_value_heads,
      headDim: e.head_dim,
      vocabSize: e.vocab_size,
      intermediateSize: e.intermediate_size,
      ropeTheta: e.rope_theta,
      mropeSection: e.mrope_section,
      tieWordEmbeddings: e.tie_word_embeddings,
      rmsNormEps: e.rms_norm_eps,
      maxPositionEmbeddings: e.max_position_embeddings,
    });
  });

  it("reads a plain Qwen2 text config with 1-D RoPE", () => {
    const c = parseHfConfig(read("tiny_tied"));
    expect(c.modelType).toBe("qwen2");
    expect(c.text).toMatchObject({ vocabSize: 96, hiddenSize: 32, headDim: 8, mropeSection: null, tieWordEmbeddings: true, ropeTheta: 10000 });
  });

  it.each([
    [{ model_type: "llama" }, /model_type "llama" is not supported/],
    [{ hidden_act: "gelu" }, /hidden_act "gelu" is not supported/],
    [{ use_sliding_window: true }, /use_sliding_window=true is not supported/],
    [{ rope_scaling: { type: "yarn", factor: 4 } }, /rope type "yarn" is not supported/],
    [{ num_key_value_heads: 3 }, /not a multiple of num_key_value_heads 3/],
    [{ hidden_size: -4 }, /hidden_size must be a positive integer/],
    [{ tie_word_embeddings: "yes" }, /tie_word_embeddings must be true or false/],
  ])("rejects unsupported values with the field named (%o)", (patch, message) => {
    expect(() => parseHfConfig({ ...read("tiny_untied"), ...patch })).toThrowError(message);
    expect(() => parseHfConfig({ ...read("tiny_untied"), ...patch })).toThrowError(ConfigError);
  });

  it("rejects an M-RoPE section that does not cover head_dim/2", () => {
    const raw = read("config_v4_flat");
    raw.rope_scaling = { type: "mrope", mrope_section: [1, 1, 1] };
    expect(() => parseHfConfig(raw)).toThrowError(/must sum to head_dim\/2 = 4/);
  });

  it("writes text configs that parse back to the same model, and updates vocab_size in both layouts", () => {
    const tiny = textPreset("tiny-text");
    expect(parseHfConfig(textConfigJson(tiny)).text).toEqual(tiny);
    const v5 = withVocabSize(read("config_v5_layout"), 400);
    expect(parseHfConfig(v5).text.vocabSize).toBe(400);
    expect((v5.text_config as { vocab_size: number }).vocab_size).toBe(400);
  });
});

describe("vlConfigJson", () => {
  it("writes a Qwen2.5-VL config that parses back to the same model and token ids", async () => {
    const { modelPreset } = await import("../../../src/model/presets.js");
    const { vlConfigJson, defaultSpecialIds } = await import("../../../src/model/hf-config.js");
    const tiny = modelPreset("tiny");
    const ids = defaultSpecialIds(tiny.text.vocabSize);
    const parsed = parseHfConfig(JSON.parse(JSON.stringify(vlConfigJson(tiny.text, tiny.vision!, ids))));
    expect(parsed.text).toEqual(tiny.text);
    expect(parsed.vision).toEqual({ imageTokenId: ids.imagePad, config: tiny.vision });
    expect(parsed.visionTokens).toMatchObject({ imageTokenId: 1004, visionStartTokenId: 1001 });
  });
});
