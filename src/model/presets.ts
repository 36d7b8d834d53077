// Named model sizes. `tiny` (a Qwen2.5-VL-shaped model with a small vision tower) and
// `tiny-text` run anywhere in milliseconds; the others have the shapes of released Qwen2.5 /
// Qwen2.5-VL models, for benchmarks with random weights.
import type { TextModelConfig, VisionModelConfig } from "../native/contract.js";

export interface ModelPreset {
  text: TextModelConfig;
  /** Null for text-only (Qwen2) models. */
  vision: VisionModelConfig | null;
}

const qwen = (o: Partial<TextModelConfig> & Pick<TextModelConfig, "vocabSize" | "hiddenSize" | "intermediateSize" | "numHiddenLayers" | "numAttentionHeads" | "numKeyValueHeads">): TextModelConfig => ({
  headDim: o.hiddenSize / o.numAttentionHeads,
  rmsNormEps: 1e-6,
  ropeTheta: 1e6,
  mropeSection: null,
  tieWordEmbeddings: false,
  maxPositionEmbeddings: 32768,
  initializerRange: 0.02,
  ...o,
});

/** The Qwen2.5-VL vision tower (7B and 3B share it), projecting to `out` wide embeddings. */
const qwenVision = (out: number): VisionModelConfig => ({
  depth: 32,
  hiddenSize: 1280,
  intermediateSize: 3420,
  numHeads: 16,
  inChannels: 3,
  outHiddenSize: out,
  patchSize: 14,
  temporalPatchSize: 2,
  spatialMergeSize: 2,
  windowSize: 112,
  fullattBlockIndexes: [7, 15, 23, 31],
  rmsNormEps: 1e-6,
});

const tinyText = qwen({ vocabSize: 1024, hiddenSize: 64, intermediateSize: 128, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, maxPositionEmbeddings: 4096 });

export const PRESETS: Record<string, ModelPreset> = {
  tiny: {
    text: { ...tinyText, mropeSection: [2, 3, 3] },
    vision: { depth: 2, hiddenSize: 32, intermediateSize: 64, numHeads: 2, inChannels: 3, outHiddenSize: 64, patchSize: 14, temporalPatchSize: 2, spatialMergeSize: 2, windowSize: 56, fullattBlockIndexes: [1], rmsNormEps: 1e-6 },
  },
  "tiny-text": { text: tinyText, vision: null },
  /** Four layers of width 128: the smallest model that learns the embedded pipeline's tasks in CPU minutes. */
  small: {
    text: qwen({ vocabSize: 1024, hiddenSize: 128, intermediateSize: 384, numHiddenLayers: 4, numAttentionHeads: 4, numKeyValueHeads: 2, maxPositionEmbeddings: 4096, mropeSection: [4, 6, 6] }),
    vision: { depth: 2, hiddenSize: 64, intermediateSize: 128, numHeads: 2, inChannels: 3, outHiddenSize: 128, patchSize: 14, temporalPatchSize: 2, spatialMergeSize: 2, windowSize: 56, fullattBlockIndexes: [1], rmsNormEps: 1e-6 },
  },
  "qwen2.5-0.5b": {
    text: qwen({ vocabSize: 151936, hiddenSize: 896, intermediateSize: 4864, numHiddenLayers: 24, numAttentionHeads: 14, numKeyValueHeads: 2, tieWordEmbeddings: true }),
    vision: null,
  },
  "qwen2.5-vl-0.5b": {
    text: qwen({ vocabSize: 151936, hiddenSize: 896, intermediateSize: 4864, numHiddenLayers: 24, numAttentionHeads: 14, numKeyValueHeads: 2, tieWordEmbeddings: true, mropeSection: [8, 12, 12] }),
    vision: qwenVision(896),
  },
  "qwen2.5-vl-3b": {
    text: qwen({ vocabSize: 151936, hiddenSize: 2048, intermediateSize: 11008, numHiddenLayers: 36, numAttentionHeads: 16, numKeyValueHeads: 2, tieWordEmbeddings: true, mropeSection: [16, 24, 24] }),
    vision: qwenVision(2048),
  },
  "qwen2.5-vl-7b": {
    text: qwen({ vocabSize: 152064, hiddenSize: 3584, intermediateSize: 18944, numHiddenLayers: 28, numAttentionHeads: 28, numKeyValueHeads: 4, mropeSection: [16, 24, 24] }),
    vision: qwenVision(3584),
  },
};

export function modelPreset(name: string): ModelPreset {
  const preset = PRESETS[name];
  if (!preset) throw new Error(`unknown model preset "${name}" (known: ${Object.keys(PRESETS).join(", ")})`);
  return { text: { ...preset.text }, vision: preset.vision ? { ...preset.vision } : null };
}

/** The language-model part of a preset. */
export function textPreset(name: string): TextModelConfig {
  return modelPreset(name).text;
}
