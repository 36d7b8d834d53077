// The files of a Qwen2 / Qwen2.5-VL text tokenizer, built from a byte-level BPE vocabulary
// (reference/qwen2_5_vl.md §2; layout of Qwen2.5-VL-*-Instruct's tokenizer.json and
// tokenizer_config.json, and of transformers' `Qwen2Tokenizer`, which rebuilds NFC + Split +
// ByteLevel around the saved vocab and merges): special tokens right after the learned vocab,
// in Qwen's order, `eos_token` `<|im_end|>`, `pad_token` `<|endoftext|>`, no BOS.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addActionTokens, addActionTokensToTokenizerConfig, type ActionVocab } from "../fast/action-vocab.js";
import { QWEN2_VL_CHAT_TEMPLATE } from "./default-template.js";
import { TextInputError } from "./errors.js";
import { QWEN2_SPLIT_PATTERN } from "./qwen-pretokenize.js";
import { ENDOFTEXT, IM_END, QWEN_EXTRA_TOKENS, QWEN_SPECIAL_TOKENS } from "./special-tokens.js";
import { TextTokenizer } from "./tokenizer.js";

type Json = Record<string, unknown>;

export interface TokenizerFiles {
  /** tokenizer.json, as a JSON object. */
  tokenizerJson: Json;
  /** tokenizer_config.json, as a JSON object. */
  tokenizerConfig: Json;
}

export interface QwenTokenizerFileOptions {
  /** Also add Qwen's 8 non-special tokens (`<tool_call>`, fill-in-the-middle markers). Default false. */
  extraTokens?: boolean;
  /** Default: the Qwen2-VL template of reference §2. */
  chatTemplate?: string;
  modelMaxLength?: number;
}

const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false };

function addedToken(id: number, content: string, special: boolean) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special };
}

/** tokenizer.json + tokenizer_config.json of a Qwen-layout tokenizer over `vocab` / `merges`. */
export function buildQwenTokenizerFiles(
  vocab: ReadonlyMap<string, number>,
  merges: ReadonlyArray<readonly [string, string]>,
  options: QwenTokenizerFileOptions = {},
): TokenizerFiles {
  let next = 0;
  const vocabJson: Record<string, number> = {};
  for (const [token, id] of vocab) {
    if (QWEN_SPECIAL_TOKENS.includes(token)) throw new TextInputError(`the BPE vocabulary already holds ${token}; special tokens are added after it`);
    vocabJson[token] = id;
    next = Math.max(next, id + 1);
  }
  const tokens = [
    ...QWEN_SPECIAL_TOKENS.map((t) => [t, true] as const),
    ...(options.extraTokens ? QWEN_EXTRA_TOKENS.map((t) => [t, false] as const) : []),
  ];
  const added = tokens.map(([content, special], i) => addedToken(next + i, content, special));
  const decoder: Json = {};
  for (const t of added) {
    decoder[String(t.id)] = { content: t.content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: t.special };
  }
  const tokenizerJson: Json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: "NFC" },
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [{ type: "Split", pattern: { Regex: QWEN2_SPLIT_PATTERN }, behavior: "Isolated", invert: false }, byteLevel],
    },
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: "",
      end_of_word_suffix: "",
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: vocabJson,
      merges: merges.map(([a, b]) => [a, b]),
    },
  };
  const tokenizerConfig: Json = {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: decoder,
    additional_special_tokens: QWEN_SPECIAL_TOKENS.filter((t) => t !== ENDOFTEXT),
    bos_token: null,
    chat_template: options.chatTemplate ?? QWEN2_VL_CHAT_TEMPLATE,
    clean_up_tokenization_spaces: false,
    eos_token: IM_END,
    errors: "replace",
    model_max_length: options.modelMaxLength ?? 131072,
    pad_token: ENDOFTEXT,
    split_special_tokens: false,
    tokenizer_class: "Qwen2Tokenizer",
    unk_token: null,
  };
  return { tokenizerJson, tokenizerConfig };
}

/** Copies of the files with RoboAlign's action tokens (src/fast/action-vocab.ts) after the last id. */
export function addActionTokensToFiles(files: TokenizerFiles, size: number): { files: TokenizerFiles; vocab: ActionVocab } {
  const { tokenizer, vocab } = addActionTokens(files.tokenizerJson, size);
  return { files: { tokenizerJson: tokenizer, tokenizerConfig: addActionTokensToTokenizerConfig(files.tokenizerConfig, vocab) }, vocab };
}

/** Writes tokenizer.json and tokenizer_config.json into `dir` (created if needed). */
export function writeTokenizerFiles(dir: string, files: TokenizerFiles): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(files.tokenizerJson, null, 2) + "\n");
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(files.tokenizerConfig, null, 2) + "\n");
}

/** A TextTokenizer over in-memory files. */
export function tokenizerFromFiles(files: TokenizerFiles): TextTokenizer {
  return new TextTokenizer({ tokenizerJson: JSON.stringify(files.tokenizerJson), tokenizerConfig: files.tokenizerConfig, source: "tokenizer.json (in memory)" });
}
