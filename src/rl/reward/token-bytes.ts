// ref: Hugging Face tokenizers ByteLevel decoder (pre_tokenizers/byte_level.rs) and added-token
// decoding (tokenizer/added_vocabulary.rs); GPT-2 byte alphabet in src/fast/bytelevel.ts
//
// The exact bytes of every id of a byte-level BPE tokenizer (Qwen2 / Qwen2.5-VL): a vocabulary
// token maps back through the GPT-2 byte alphabet, an added token to its content's UTF-8. Rewards
// scored on ids use it to find tags such as `<think>` that the BPE splits into several ids
// ("<", "think", ">"), without decoding (so nothing is skipped or cleaned up on the way).

import { tokenBytes } from "../../fast/bytelevel.js";
import type { TextTokenizer } from "../../text/tokenizer.js";
import { RlInputError } from "../errors.js";

const utf8 = new TextEncoder();

export class TokenByteTable {
  private readonly entries: (Uint8Array | undefined)[];

  private constructor(entries: (Uint8Array | undefined)[]) {
    this.entries = entries;
  }

  /** One past the highest id with bytes. */
  get size(): number {
    return this.entries.length;
  }

  /** The bytes of `id`, or undefined for an id the tokenizer does not have. */
  bytesOf(id: number): Uint8Array | undefined {
    return Number.isInteger(id) && id >= 0 ? this.entries[id] : undefined;
  }

  /**
   * From explicit entries: a string is an added token's content (UTF-8), bytes are taken as they
   * are. Later entries for the same id win.
   */
  static fromEntries(entries: Iterable<readonly [number, string | Uint8Array]>): TokenByteTable {
    const table: (Uint8Array | undefined)[] = [];
    for (const [id, v] of entries) {
      if (!Number.isInteger(id) || id < 0) throw new RlInputError(`token id ${id} is not a non-negative integer`);
      table[id] = typeof v === "string" ? utf8.encode(v) : Uint8Array.from(v);
    }
    return new TokenByteTable(table);
  }

  /** From a byte-level vocabulary (token string → id) and added tokens (content → id); added tokens win. */
  static fromVocab(vocab: Record<string, number>, added: Record<string, number> = {}): TokenByteTable {
    const entries: [number, string | Uint8Array][] = [];
    for (const [token, id] of Object.entries(vocab)) entries.push([id, tokenBytes(token)]);
    for (const [content, id] of Object.entries(added)) entries.push([id, content]);
    return TokenByteTable.fromEntries(entries);
  }

  /** From a parsed Hugging Face tokenizer.json with a BPE model and a ByteLevel decoder. */
  static fromTokenizerJson(json: Record<string, unknown>): TokenByteTable {
    const model = json.model as { type?: unknown; vocab?: unknown } | undefined;
    const vocab = model?.vocab;
    if (!vocab || typeof vocab !== "object" || Array.isArray(vocab)) {
      throw new RlInputError("tokenizer.json has no model.vocab object; scoring on ids needs a byte-level BPE tokenizer (Qwen2 / Qwen2.5-VL)");
    }
    if (!usesByteLevel(json.decoder)) {
      throw new RlInputError("tokenizer.json's decoder is not ByteLevel; scoring on ids needs a byte-level BPE tokenizer (Qwen2 / Qwen2.5-VL)");
    }
    const added: Record<string, number> = {};
    const list = json.added_tokens;
    if (list !== undefined && !Array.isArray(list)) throw new RlInputError("tokenizer.json: added_tokens is not an array");
    for (const t of (list ?? []) as { id?: unknown; content?: unknown }[]) {
      if (typeof t.id === "number" && typeof t.content === "string") added[t.content] = t.id;
    }
    return TokenByteTable.fromVocab(vocab as Record<string, number>, added);
  }

  /** From a loaded TextTokenizer (assumed byte-level, as every Qwen tokenizer is): model vocabulary vs added tokens. */
  static fromTextTokenizer(tokenizer: TextTokenizer): TokenByteTable {
    const model = tokenizer.native.getVocab(false);
    const all = tokenizer.native.getVocab(true);
    const added: Record<string, number> = {};
    for (const [content, id] of Object.entries(all)) if (model[content] !== id) added[content] = id;
    return TokenByteTable.fromVocab(model, added);
  }
}

function usesByteLevel(decoder: unknown): boolean {
  if (!decoder || typeof decoder !== "object") return false;
  const d = decoder as { type?: unknown; decoders?: unknown };
  if (d.type === "ByteLevel") return true;
  return d.type === "Sequence" && Array.isArray(d.decoders) && d.decoders.some(usesByteLevel);
}
