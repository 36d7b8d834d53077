// Reads a Hugging Face config.json of a Qwen2 / Qwen2.5 / Qwen2.5-VL checkpoint in either layout
// (4.x flat fields with `rope_scaling`, or 5.x `text_config` with `rope_parameters`) into the
// TextModelConfig the native core takes. Unsupported values are rejected with the field named.
import type { TextModelConfig, VisionModelConfig, VisionSpec } from "../native/contract.js";
import type { RopeIndexOptions } from "../text/rope-index.js";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const TEXT_MODEL_TYPES = new Set(["qwen2", "qwen2_5_vl", "qwen2_vl", "qwen2_5_vl_text", "qwen2_vl_text"]);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads `key` from text_config first, then from the top level (4.57 writes both; 5.x only the first). */
function field(cfg: Json, key: string): unknown {
  const text = isObject(cfg.text_config) ? cfg.text_config : undefined;
  return text && key in text ? text[key] : cfg[key];
}

function int(cfg: Json, key: string, fallback?: number): number {
  const v = field(cfg, key) ?? fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
    throw new ConfigError(`config.json: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

function num(cfg: Json, key: string, fallback?: number): number {
  const v = field(cfg, key) ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new ConfigError(`config.json: ${key} must be a positive number, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Token ids of the vision markers (Qwen2-VL family). */
export interface VisionTokenIds {
  imageTokenId: number;
  videoTokenId: number | null;
  visionStartTokenId: number;
  visionEndTokenId: number | null;
}

export interface ParsedHfConfig {
  text: TextModelConfig;
  /** The vision tower and image-token id of a Qwen2.5-VL checkpoint; null for text models. */
  vision: VisionSpec | null;
  visionTokens: VisionTokenIds | null;
  modelType: string;
  /** True for Qwen2.5-VL / Qwen2-VL checkpoints (they carry `visual.*` weights). */
  multimodal: boolean;
  eosTokenIds: number[];
  raw: Json;
}

/** M-RoPE options of a multimodal checkpoint (image and vision-start ids, merge size); null for text models. */
export function ropeOptions(config: ParsedHfConfig): RopeIndexOptions | null {
  if (!config.vision || !config.visionTokens) return null;
  return { imageTokenId: config.vision.imageTokenId, visionStartTokenId: config.visionTokens.visionStartTokenId, spatialMergeSize: config.vision.config.spatialMergeSize };
}

export function parseHfConfig(raw: unknown): ParsedHfConfig {
  if (!isObject(raw)) throw new ConfigError("config.json must hold a JSON object");
  const modelType = String(raw.model_type ?? (isObject(raw.text_config) ? raw.text_config.model_type : undefined) ?? "");
  if (!TEXT_MODEL_TYPES.has(modelType)) {
    throw new ConfigError(
      `config.json: model_type "${modelType}" is not supported (supported: ${[...TEXT_MODEL_TYPES].join(", ")})`,
    );
  }
  const act = field(raw, "hidden_act") ?? "silu";
  if (act !== "silu") throw new ConfigError(`config.json: hidden_act "${String(act)}" is not supported (Qwen2 uses silu)`);
  if (field(raw, "use_sliding_window") === true) {
    throw new ConfigError("config.json: use_sliding_window=true is not supported (Qwen2.5 checkpoints ship with false)");
  }

  const hidden = int(raw, "hidden_size");
  const heads = int(raw, "num_attention_heads");
  const kvHeads = int(raw, "num_key_value_heads", heads);
  const headDim = int(raw, "head_dim", hidden / heads);
  if (hidden % heads !== 0 && field(raw, "head_dim") === undefined) {
    throw new ConfigError(`config.json: hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}`);
  }
  if (heads % kvHeads !== 0) {
    throw new ConfigError(`config.json: num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`);
  }

  // RoPE: 5.x `rope_parameters`, 4.x `rope_scaling` + top-level `rope_theta`.
  const ropeParams = field(raw, "rope_parameters");
  const ropeScaling = field(raw, "rope_scaling");
  const rope = isObject(ropeParams) ? ropeParams : isObject(ropeScaling) ? ropeScaling : {};
  for (const r of [ropeParams, ropeScaling]) {
    if (!isObject(r)) continue;
    const ropeType = String(r.rope_type ?? r.type ?? "default");
    if (!["default", "mrope"].includes(ropeType)) {
      throw new ConfigError(`config.json: rope type "${ropeType}" is not supported (supported: default, mrope)`);
    }
  }
  const theta = typeof rope.rope_theta === "number" ? rope.rope_theta : num(raw, "rope_theta", 10000);
  let mropeSection: [number, number, number] | null = null;
  if (rope.mrope_section !== undefined) {
    const s = rope.mrope_section;
    if (!Array.isArray(s) || s.length !== 3 || !s.every((x) => Number.isInteger(x) && x > 0)) {
      throw new ConfigError(`config.json: mrope_section must be three positive integers, got ${JSON.stringify(s)}`);
    }
    if (s[0] + s[1] + s[2] !== headDim / 2) {
      throw new ConfigError(`config.json: mrope_section ${JSON.stringify(s)} must sum to head_dim/2 = ${headDim / 2}`);
    }
    mropeSection = [s[0], s[1], s[2]];
  } else if (modelType.startsWith("qwen2_5_vl") || modelType.startsWith("qwen2_vl")) {
    throw new ConfigError("config.json: a Qwen2-VL/Qwen2.5-VL config needs rope_scaling.mrope_section (or rope_parameters.mrope_section)");
  }

  const tie = raw.tie_word_embeddings ?? field(raw, "tie_word_embeddings") ?? false;
  if (typeof tie !== "boolean") throw new ConfigError("config.json: tie_word_embeddings must be true or false");
  const eos = field(raw, "eos_token_id");
  const eosTokenIds = Array.isArray(eos) ? eos.filter((x): x is number => typeof x === "number") : typeof eos === "number" ? [eos] : [];

  let vision: VisionSpec | null = null;
  let visionTokens: VisionTokenIds | null = null;
  if (modelType === "qwen2_5_vl") {
    const v = raw.vision_config;
    if (!isObject(v)) throw new ConfigError("config.json: a Qwen2.5-VL config needs vision_config");
    const vi = (key: string, fallback?: number): number => {
      const x = v[key] ?? fallback;
      if (typeof x !== "number" || !Number.isInteger(x) || x <= 0) {
        throw new ConfigError(`config.json: vision_config.${key} must be a positive integer, got ${JSON.stringify(x)}`);
      }
      return x;
    };
    const act = v.hidden_act ?? "silu";
    if (act !== "silu") throw new ConfigError(`config.json: vision_config.hidden_act "${String(act)}" is not supported (Qwen2.5-VL uses silu)`);
    const full = v.fullatt_block_indexes ?? [];
    if (!Array.isArray(full) || !full.every((x) => Number.isInteger(x) && x >= 0)) {
      throw new ConfigError("config.json: vision_config.fullatt_block_indexes must be a list of block indexes");
    }
    const idOf = (key: string): number | null => {
      const x = raw[key] ?? field(raw, key);
      return typeof x === "number" ? x : null;
    };
    const imageTokenId = idOf("image_token_id");
    const visionStartTokenId = idOf("vision_start_token_id");
    if (imageTokenId === null || visionStartTokenId === null) {
      throw new ConfigError("config.json: image_token_id and vision_start_token_id are required for Qwen2.5-VL");
    }
    vision = {
      imageTokenId,
      config: {
        depth: vi("depth"),
        hiddenSize: vi("hidden_size"),
        intermediateSize: vi("intermediate_size"),
        numHeads: vi("num_heads"),
        inChannels: vi("in_channels", typeof v.in_chans === "number" ? v.in_chans : 3),
        outHiddenSize: vi("out_hidden_size"),
        patchSize: vi("patch_size", typeof v.spatial_patch_size === "number" ? v.spatial_patch_size : 14),
        temporalPatchSize: vi("temporal_patch_size", 2),
        spatialMergeSize: vi("spatial_merge_size", 2),
        windowSize: vi("window_size", 112),
        fullattBlockIndexes: full as number[],
        rmsNormEps: 1e-6,
      },
    };
    visionTokens = { imageTokenId, videoTokenId: idOf("video_token_id"), visionStartTokenId, visionEndTokenId: idOf("vision_end_token_id") };
  }

  return {
    vision,
    visionTokens,
    text: {
      vocabSize: int(raw, "vocab_size"),
      hiddenSize: hidden,
      intermediateSize: int(raw, "intermediate_size"),
      numHiddenLayers: int(raw, "num_hidden_layers"),
      numAttentionHeads: heads,
      numKeyValueHeads: kvHeads,
      headDim,
      rmsNormEps: num(raw, "rms_norm_eps", 1e-6),
      ropeTheta: theta,
      mropeSection,
      tieWordEmbeddings: tie,
      maxPositionEmbeddings: int(raw, "max_position_embeddings", 32768),
      initializerRange: num(raw, "initializer_range", 0.02),
    },
    modelType,
    multimodal: modelType === "qwen2_5_vl" || modelType === "qwen2_vl",
    eosTokenIds,
    raw,
  };
}

/** A config.json (4.x flat Qwen2 layout, which every transformers version reads) for a text model. */
export function textConfigJson(c: TextModelConfig, extra: Json = {}): Json {
  const base: Json = {
    architectures: ["Qwen2ForCausalLM"],
    model_type: "qwen2",
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numHiddenLayers,
    num_attention_heads: c.numAttentionHeads,
    num_key_value_heads: c.numKeyValueHeads,
    head_dim: c.headDim,
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    tie_word_embeddings: c.tieWordEmbeddings,
    max_position_embeddings: c.maxPositionEmbeddings,
    initializer_range: c.initializerRange,
    hidden_act: "silu",
    use_sliding_window: false,
    sliding_window: null,
    attention_dropout: 0.0,
    torch_dtype: "float32",
    use_cache: true,
  };
  if (c.mropeSection) {
    throw new ConfigError("textConfigJson writes plain Qwen2 configs; an M-RoPE model keeps the config.json it was loaded from");
  }
  return { ...base, ...extra };
}

/** Special-token ids a Qwen2.5-VL config.json records (from its tokenizer). */
export interface QwenSpecialIds {
  bos: number;
  eos: number;
  visionStart: number;
  visionEnd: number;
  visionPad: number;
  imagePad: number;
  videoPad: number;
}

/** Where a tokenizer-less checkpoint puts Qwen's special tokens: the top 32 ids, in Qwen's order. */
export function defaultSpecialIds(vocabSize: number): QwenSpecialIds {
  const base = vocabSize - 32; // <|endoftext|>; the rest follow as in Qwen (reference §2)
  return { bos: base, eos: base + 2, visionStart: base + 9, visionEnd: base + 10, visionPad: base + 11, imagePad: base + 12, videoPad: base + 13 };
}

/** A Qwen2.5-VL config.json in the hub's flat layout (read by transformers 4.x and 5.x alike). */
export function vlConfigJson(text: TextModelConfig, vision: VisionModelConfig, ids: QwenSpecialIds): Json {
  if (!text.mropeSection) throw new ConfigError("a Qwen2.5-VL model needs mropeSection");
  const flatText = textConfigJson({ ...text, mropeSection: null });
  return {
    ...flatText,
    architectures: ["Qwen2_5_VLForConditionalGeneration"],
    model_type: "qwen2_5_vl",
    bos_token_id: ids.bos,
    eos_token_id: ids.eos,
    vision_start_token_id: ids.visionStart,
    vision_end_token_id: ids.visionEnd,
    vision_token_id: ids.visionPad,
    image_token_id: ids.imagePad,
    video_token_id: ids.videoPad,
    max_window_layers: text.numHiddenLayers,
    rope_scaling: { type: "mrope", mrope_section: text.mropeSection },
    vision_config: {
      depth: vision.depth,
      hidden_act: "silu",
      hidden_size: vision.hiddenSize,
      intermediate_size: vision.intermediateSize,
      num_heads: vision.numHeads,
      in_chans: vision.inChannels,
      out_hidden_size: vision.outHiddenSize,
      patch_size: vision.patchSize,
      spatial_merge_size: vision.spatialMergeSize,
      spatial_patch_size: vision.patchSize,
      temporal_patch_size: vision.temporalPatchSize,
      window_size: vision.windowSize,
      fullatt_block_indexes: vision.fullattBlockIndexes,
      tokens_per_second: 2,
    },
  };
}

/** Sets vocab_size in both layouts (after adding tokens). */
export function withVocabSize(raw: Json, vocabSize: number): Json {
  const out: Json = { ...raw, vocab_size: vocabSize };
  if (isObject(raw.text_config)) out.text_config = { ...raw.text_config, vocab_size: vocabSize };
  return out;
}
