// Reading and writing the Hugging Face `tokenizer.json` of a FAST tokenizer: a byte-level BPE
// (ByteLevel pre-tokenizer without prefix space, BPE model, ByteLevel post-processor and
// decoder), the layout `ByteLevelBPETokenizer` produces (reference/fast.md E7, T1.5, U3).
// Merges load in both formats ("a b" strings and [a, b] arrays) and are written as arrays,
// in the field order and pretty layout of the Rust serializer.

import { BpeModel } from "./bpe.js";
import { FastInputError } from "./chunk.js";
import { prettyJson, type PrettyValue } from "./pretty-json.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is { [k: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fail(source: string, what: string): never {
  throw new FastInputError(`${source}: ${what}. A FAST tokenizer.json is a byte-level BPE as saved by tokenizers' ByteLevelBPETokenizer.`);
}

function checkByteLevel(source: string, field: string, v: unknown, allowNull: boolean): void {
  if (v === null || v === undefined) {
    if (allowNull) return;
    fail(source, `"${field}" is missing; expected {"type": "ByteLevel", ...}`);
  }
  if (!isObject(v) || v.type !== "ByteLevel") fail(source, `"${field}" has type ${JSON.stringify(isObject(v) ? v.type : v)}, only ByteLevel is supported`);
}

/** Parses a FAST `tokenizer.json`; throws a FastInputError naming what is unsupported. */
export function parseTokenizerJson(text: string, source = "tokenizer.json"): BpeModel {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    fail(source, `not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(root)) fail(source, "the top level is not an object");
  const added = root.added_tokens;
  if (Array.isArray(added) && added.length > 0) fail(source, `has ${added.length} added_tokens; FAST tokenizers have none`);
  if (root.normalizer !== null && root.normalizer !== undefined) fail(source, "has a normalizer; FAST tokenizers have none");

  const pre = root.pre_tokenizer;
  checkByteLevel(source, "pre_tokenizer", pre, false);
  if (isObject(pre) && pre.add_prefix_space === true) fail(source, "pre_tokenizer.add_prefix_space is true; FAST uses false");
  if (isObject(pre) && pre.use_regex === false) fail(source, "pre_tokenizer.use_regex is false; FAST splits with the GPT-2 pattern");
  checkByteLevel(source, "post_processor", root.post_processor, true);
  checkByteLevel(source, "decoder", root.decoder, false);
  // truncation and padding are ignored: transformers' __call__ without those options turns them off.

  const model = root.model;
  if (!isObject(model)) fail(source, `"model" is missing`);
  if (model.type !== undefined && model.type !== "BPE") fail(source, `model type ${JSON.stringify(model.type)} is not BPE`);
  if (model.dropout !== null && model.dropout !== undefined && model.dropout !== 0) fail(source, "BPE dropout is set; encoding would be random");
  if (model.unk_token !== null && model.unk_token !== undefined) fail(source, "BPE unk_token is set; FAST tokenizers have none");
  if (model.byte_fallback === true) fail(source, "BPE byte_fallback is true; FAST tokenizers use false");
  for (const f of ["continuing_subword_prefix", "end_of_word_suffix"]) {
    const v = model[f];
    if (v !== null && v !== undefined && v !== "") fail(source, `BPE ${f} is set; FAST tokenizers have none`);
  }
  if (!isObject(model.vocab)) fail(source, "model.vocab is not an object of token → id");
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab)) {
    if (typeof id !== "number") fail(source, `vocab entry ${JSON.stringify(token)} has a non-numeric id`);
    vocab.set(token, id);
  }
  if (!Array.isArray(model.merges)) fail(source, "model.merges is not an array");
  const merges: [string, string][] = model.merges.map((m, i) => {
    if (typeof m === "string") {
      const parts = m.split(" ");
      if (parts.length !== 2) fail(source, `merge ${i} ${JSON.stringify(m)} is not two tokens separated by one space`);
      return [parts[0], parts[1]];
    }
    if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") return [m[0], m[1]];
    return fail(source, `merge ${i} is neither "a b" nor ["a", "b"]`);
  });
  return new BpeModel(vocab, merges, { ignoreMerges: model.ignore_merges === true });
}

/** `tokenizer.json` text of a FAST tokenizer, byte-identical to what tokenizers' Rust serializer writes. */
export function serializeTokenizerJson(model: BpeModel): string {
  const byteLevel = (addPrefixSpace: boolean, trimOffsets: boolean): PrettyValue =>
    new Map<string, PrettyValue>([
      ["type", "ByteLevel"],
      ["add_prefix_space", addPrefixSpace],
      ["trim_offsets", trimOffsets],
      ["use_regex", true],
    ]);
  const vocab = new Map<string, PrettyValue>();
  const entries = [...model.vocab].sort((a, b) => a[1] - b[1]);
  for (const [token, id] of entries) vocab.set(token, id);
  const doc = new Map<string, PrettyValue>([
    ["version", "1.0"],
    ["truncation", null],
    ["padding", null],
    ["added_tokens", []],
    ["normalizer", null],
    ["pre_tokenizer", byteLevel(false, true)],
    ["post_processor", byteLevel(true, false)],
    ["decoder", byteLevel(true, true)],
    [
      "model",
      new Map<string, PrettyValue>([
        ["type", "BPE"],
        ["dropout", null],
        ["unk_token", null],
        ["continuing_subword_prefix", null],
        ["end_of_word_suffix", null],
        ["fuse_unk", false],
        ["byte_fallback", false],
        ["ignore_merges", model.ignoreMerges],
        ["vocab", vocab],
        ["merges", model.merges.map(([a, b]) => [a, b])],
      ]),
    ],
  ]);
  return prettyJson(doc);
}
