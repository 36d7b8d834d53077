// Qwen2 / Qwen2.5-VL special tokens and their order (reference/qwen2_5_vl.md §2; Qwen2.5-VL's
// tokenizer_config.json `added_tokens_decoder`, ids 151643…151664). The order matters: ids are
// assigned consecutively after the learned BPE vocabulary, so `<|image_pad|>` is always
// `<|endoftext|>` + 12 (151655 in the real model, 492 in the tiny fixture model).

export const ENDOFTEXT = "<|endoftext|>";
export const IM_START = "<|im_start|>";
export const IM_END = "<|im_end|>";
export const VISION_START = "<|vision_start|>";
export const VISION_END = "<|vision_end|>";
export const IMAGE_PAD = "<|image_pad|>";
export const VIDEO_PAD = "<|video_pad|>";

/** The special (`special: true`) added tokens of Qwen2.5-VL, in id order from 151643. */
export const QWEN_SPECIAL_TOKENS: readonly string[] = [
  ENDOFTEXT,
  IM_START,
  IM_END,
  "<|object_ref_start|>",
  "<|object_ref_end|>",
  "<|box_start|>",
  "<|box_end|>",
  "<|quad_start|>",
  "<|quad_end|>",
  VISION_START,
  VISION_END,
  "<|vision_pad|>",
  IMAGE_PAD,
  VIDEO_PAD,
];

/**
 * The non-special added tokens that follow them in the real tokenizer (ids 151657…151664): tool
 * calls and fill-in-the-middle markers. Optional here; with them the tokenizer size is 151665.
 */
export const QWEN_EXTRA_TOKENS: readonly string[] = [
  "<tool_call>",
  "</tool_call>",
  "<|fim_prefix|>",
  "<|fim_middle|>",
  "<|fim_suffix|>",
  "<|fim_pad|>",
  "<|repo_name|>",
  "<|file_sep|>",
];
