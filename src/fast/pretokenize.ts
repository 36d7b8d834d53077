// The ByteLevel pre-tokenizer's split (Hugging Face tokenizers `pre_tokenizers/byte_level.rs`,
// GPT-2 pattern; reference/fast.md R1–R3), evaluated by hand over code points:
//
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// with `\s` the Unicode White_Space set of the Rust engine (it includes U+0085, which JS `\s`
// does not). Letters and numbers come from the JS engine's `\p{L}` / `\p{N}`, except for three
// code points whose class changed between the two engines' Unicode versions. A hand-written
// scanner avoids building strings on the encode hot path; `BYTELEVEL_SPLIT_REGEX` is the same
// pattern as a JS RegExp.

import { codePointsToString } from "./bytelevel.js";

const WS = "\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

/** The split pattern as a JS RegExp with Rust's `\s` semantics (flags `gu`). */
export const BYTELEVEL_SPLIT_REGEX = new RegExp(
  `'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^${WS}\\p{L}\\p{N}]+|[${WS}]+(?![^${WS}])|[${WS}]+`,
  "gu",
);

export const CLASS_OTHER = 1;
export const CLASS_LETTER = 2;
export const CLASS_NUMBER = 3;
export const CLASS_SPACE = 4;

const classes = new Uint8Array(0x110000); // 0 = not computed yet

/**
 * Letters in the JS engine's (newer) Unicode tables that the reference's regex engine treats as
 * "other" (probed in reference/fast.md's regex_classes fixture, code points < 12288).
 */
const REFERENCE_OTHER = [0x088f, 0x0c5c, 0x0cdc];
for (const cp of REFERENCE_OTHER) classes[cp] = CLASS_OTHER;

const LETTER_RE = /^\p{L}$/u;
const NUMBER_RE = /^\p{N}$/u;

function isWhiteSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0x20 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Regex class of a code point: letter, number, white space or other. */
export function charClass(cp: number): number {
  let c = classes[cp];
  if (c === 0) {
    if (isWhiteSpace(cp)) c = CLASS_SPACE;
    else {
      const s = String.fromCodePoint(cp);
      c = LETTER_RE.test(s) ? CLASS_LETTER : NUMBER_RE.test(s) ? CLASS_NUMBER : CLASS_OTHER;
    }
    classes[cp] = c;
  }
  return c;
}

const APOSTROPHE = 0x27;
const SPACE = 0x20;

/** Length of a contraction (`'s`, `'re`, …) starting at `i`, or 0. */
function contraction(cps: ArrayLike<number>, i: number, end: number): number {
  if (i + 1 >= end) return 0;
  const a = cps[i + 1];
  if (a === 0x73 || a === 0x74 || a === 0x6d || a === 0x64) return 2; // s t m d
  if (i + 2 >= end) return 0;
  const b = cps[i + 2];
  if ((a === 0x72 && b === 0x65) || (a === 0x76 && b === 0x65) || (a === 0x6c && b === 0x6c)) return 3; // re ve ll
  return 0;
}

/**
 * Splits `cps[start, end)` into pre-tokens and writes the end index of each piece to `ends`
 * (which needs room for `end − start` entries); returns the number of pieces. The pieces
 * cover the input without gaps, as the pattern matches every character.
 */
export function splitPieces(cps: ArrayLike<number>, start: number, end: number, ends: Int32Array): number {
  let n = 0;
  let i = start;
  while (i < end) {
    const c = cps[i];
    if (c === APOSTROPHE) {
      const len = contraction(cps, i, end);
      if (len > 0) {
        i += len;
        ends[n++] = i;
        continue;
      }
    }
    // ` ?X+` for X in letters, numbers, other: an optional leading U+0020, then a run.
    let j = i;
    if (c === SPACE && i + 1 < end && charClass(cps[i + 1]) !== CLASS_SPACE) j = i + 1;
    const k = charClass(cps[j]);
    if (k !== CLASS_SPACE) {
      j++;
      while (j < end && charClass(cps[j]) === k) j++;
      ends[n++] = i = j;
      continue;
    }
    // White space: `\s+(?!\S)` backs off one character before a non-space; `\s+` otherwise.
    j = i + 1;
    while (j < end && charClass(cps[j]) === CLASS_SPACE) j++;
    if (j < end && j - i >= 2) j--;
    ends[n++] = i = j;
  }
  return n;
}

/** The pre-tokens of a string (code-point based), e.g. for inspection and tests. */
export function pretokenize(text: string): string[] {
  const cps = Array.from(text, (ch) => ch.codePointAt(0) as number);
  const ends = new Int32Array(cps.length);
  const n = splitPieces(cps, 0, cps.length, ends);
  const pieces: string[] = [];
  let s = 0;
  for (let p = 0; p < n; p++) {
    pieces.push(codePointsToString(cps.slice(s, ends[p])));
    s = ends[p];
  }
  return pieces;
}
