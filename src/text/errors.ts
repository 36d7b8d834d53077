// Errors of the text side of Qwen2.5-VL inputs (reference/qwen2_5_vl.md §2, §5): bad tokenizer
// files, chat messages, image/grid mismatches and position-id inputs all raise this type, with a
// message that names what was wrong and how to fix it.

export class TextInputError extends Error {
  override readonly name = "TextInputError";
}
