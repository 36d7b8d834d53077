// Public API of the FAST action tokenizer (reference/fast.md): encode/decode, fit, tokenizer
// files, normalization and the MLLM action vocabulary.
export * from "./chunk.js";
export * from "./dct.js";
export * from "./quantize.js";
export * from "./bytelevel.js";
export * from "./pretokenize.js";
export * from "./bpe.js";
export * from "./bpe-trainer.js";
export * from "./tokenizer.js";
export * from "./tokenizer-json.js";
export * from "./processor.js";
export * from "./fit.js";
export * from "./normalization.js";
export * from "./codec.js";
export * from "./npy.js";
export * from "./actions-io.js";
export * from "./processor-dir.js";
export * from "./action-vocab.js";
export * from "./stats.js";
