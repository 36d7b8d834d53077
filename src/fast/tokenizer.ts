// The text tokenizer FAST wraps: ByteLevel pre-tokenizer + BPE model + ByteLevel decoder, i.e. a
// Hugging Face `tokenizer.json` of the shape `ByteLevelBPETokenizer` saves, seen through
// transformers' `PreTrainedTokenizerFast` (reference/fast.md E7, D2.1–D2.2). Works on code
// points so that FAST can feed coefficients without building strings.

import { BpeModel, IdBuffer } from "./bpe.js";
import { codePointsToString, decodeUtf8Lossy, writeUtf8 } from "./bytelevel.js";
import { FastInputError } from "./chunk.js";
import { splitPieces } from "./pretokenize.js";
import { isSurrogate } from "./quantize.js";

/** Why an id list could not be turned into text. */
export interface InvalidIds {
  index: number;
  value: unknown;
}

/** transformers' `clean_up_tokenization` (applied when `clean_up_tokenization_spaces` is true). */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(" .", ".")
    .replaceAll(" ?", "?")
    .replaceAll(" !", "!")
    .replaceAll(" ,", ",")
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/** Index of the first id the Python binding would reject (not an integer in [0, 2^32)), or -1. */
export function findInvalidId(ids: ArrayLike<number>): number {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!(Number.isInteger(id) && id >= 0 && id <= 0xffffffff)) return i;
  }
  return -1;
}

export class ByteLevelBpeTokenizer {
  readonly model: BpeModel;
  /** transformers' `clean_up_tokenization_spaces` for decode (FAST+: true; `fit()`: false). */
  readonly cleanUpTokenizationSpaces: boolean;

  private ends = new Int32Array(256);
  private bytes = new Uint8Array(1024);
  private decodeBytes = { data: new Uint8Array(1024), length: 0 };
  private decodeCps = new Int32Array(1024);

  constructor(model: BpeModel, options: { cleanUpTokenizationSpaces?: boolean } = {}) {
    this.model = model;
    this.cleanUpTokenizationSpaces = options.cleanUpTokenizationSpaces ?? false;
  }

  /**
   * Encodes the code points `cps[0, count)` (no surrogates, all ≤ U+10FFFF) and appends the ids
   * to `out`: split into pre-tokens, UTF-8 encode each, BPE each independently.
   */
  encodeCodePoints(cps: ArrayLike<number>, count: number, out: IdBuffer): void {
    if (count > this.ends.length) this.ends = new Int32Array(Math.max(count, this.ends.length * 2));
    if (count * 4 > this.bytes.length) this.bytes = new Uint8Array(Math.max(count * 4, this.bytes.length * 2));
    const ends = this.ends;
    const bytes = this.bytes;
    const pieces = splitPieces(cps, 0, count, ends);
    let s = 0;
    for (let p = 0; p < pieces; p++) {
      const e = ends[p];
      let nb = 0;
      for (let i = s; i < e; i++) nb = writeUtf8(cps[i], bytes, nb);
      this.model.encodeBytes(bytes, 0, nb, out);
      s = e;
    }
  }

  /** Ids of a string (no special or added tokens, as in FAST tokenizers). */
  encode(text: string): Int32Array {
    const cps: number[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      if (isSurrogate(cp)) throw new FastInputError("text contains a lone UTF-16 surrogate, which cannot be tokenized");
      cps.push(cp);
    }
    const out = new IdBuffer(cps.length + 1);
    this.encodeCodePoints(cps, cps.length, out);
    return out.data.slice(0, out.length);
  }

  /**
   * Decodes ids to code points, as `decode(ids, skip_special_tokens=False)`: unknown ids are
   * skipped, bytes are decoded lossily, then the optional clean-up runs. Returns a view valid
   * until the next call, or the first invalid id (the binding raises on those).
   */
  decodeToCodePoints(ids: ArrayLike<number>): { codePoints: Int32Array; invalid: InvalidIds | null } {
    const bad = findInvalidId(ids);
    if (bad >= 0) return { codePoints: new Int32Array(0), invalid: { index: bad, value: ids[bad] } };
    const buf = this.decodeBytes;
    buf.length = 0;
    this.model.appendTokenBytes(ids, buf);
    if (buf.length > this.decodeCps.length) this.decodeCps = new Int32Array(Math.max(buf.length, this.decodeCps.length * 2));
    const n = decodeUtf8Lossy(buf.data, buf.length, this.decodeCps);
    let cps = this.decodeCps.subarray(0, n);
    if (this.cleanUpTokenizationSpaces && cps.includes(0x20)) {
      const cleaned = cleanUpTokenization(codePointsToString(cps));
      cps = Int32Array.from(cleaned, (ch) => ch.codePointAt(0) as number);
    }
    return { codePoints: cps, invalid: null };
  }

  /** Text of some ids; throws on ids the Python binding rejects. */
  decode(ids: ArrayLike<number>): string {
    const { codePoints, invalid } = this.decodeToCodePoints(ids);
    if (invalid) throw new FastInputError(`id ${String(invalid.value)} at index ${invalid.index} is not an integer in [0, 2^32)`);
    return codePointsToString(codePoints);
  }
}
