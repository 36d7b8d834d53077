// Public API of the text side of Qwen2.5-VL inputs (reference/qwen2_5_vl.md §2, §5): tokenizer
// loading, chat template, SFT conversation encoding, M-RoPE position ids, and a small Qwen-layout
// BPE tokenizer trainer.
export * from "./errors.js";
export * from "./special-tokens.js";
export * from "./tokenizer.js";
export * from "./chat-template.js";
export * from "./conversation.js";
export * from "./rope-index.js";
export * from "./qwen-pretokenize.js";
export * from "./tokenizer-files.js";
export * from "./bpe-trainer.js";
