// Qwen2's pre-tokenizer split (transformers `tokenization_qwen2.py` PRETOKENIZE_REGEX, the Split
// step of Qwen2's tokenizer.json), for training only: encoding always goes through the tokenizers
// library with the Rust pattern below. The JS version spells out the case-insensitive
// contractions (Node 20 has no `(?i:…)`) and uses the Unicode White_Space set for `\s`, as the
// Rust engine does; letter/number tables may differ at the edges of Unicode versions.

/** The pattern as written in Qwen2's tokenizer.json. */
export const QWEN2_SPLIT_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const WS = "\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

const QWEN2_SPLIT_REGEX = new RegExp(
  "'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]" +
    "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+" +
    "|\\p{N}" +
    `| ?[^${WS}\\p{L}\\p{N}]+[\\r\\n]*` +
    `|[${WS}]*[\\r\\n]+` +
    `|[${WS}]+(?![^${WS}])` +
    `|[${WS}]+`,
  "gu",
);

/** The pre-tokens of `text` (already NFC-normalized by the caller, as Qwen2's normalizer does). */
export function qwenPretokenize(text: string): string[] {
  return text.match(QWEN2_SPLIT_REGEX) ?? [];
}
