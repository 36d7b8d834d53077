// Named model sizes (text model). `tiny` runs anywhere in milliseconds; the others have the
// shapes of released Qwen2.5 language models, for benchmarks with random weights.
import type { TextModelConfig } from "../native/contract.js";

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

export const TEXT_PRESETS: Record<string, TextModelConfig> = {
  tiny: qwen({ vocabSize: 1024, hiddenSize: 64, intermediateSize: 128, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, maxPositionEmbeddings: 4096 }),
  "qwen2.5-0.5b": qwen({ vocabSize: 151936, hiddenSize: 896, intermediateSize: 4864, numHiddenLayers: 24, numAttentionHeads: 14, numKeyValueHeads: 2, tieWordEmbeddings: true }),
  "qwen2.5-3b": qwen({ vocabSize: 151936, hiddenSize: 2048, intermediateSize: 11008, numHiddenLayers: 36, numAttentionHeads: 16, numKeyValueHeads: 2, tieWordEmbeddings: true }),
  "qwen2.5-7b": qwen({ vocabSize: 152064, hiddenSize: 3584, intermediateSize: 18944, numHiddenLayers: 28, numAttentionHeads: 28, numKeyValueHeads: 4 }),
};

export function textPreset(name: string): TextModelConfig {
  const preset = TEXT_PRESETS[name];
  if (!preset) {
    throw new Error(`unknown model preset "${name}" (known: ${Object.keys(TEXT_PRESETS).join(", ")})`);
  }
  return { ...preset };
}
