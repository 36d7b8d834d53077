// GPT-2 byte-level alphabet and UTF-8 helpers, as in Hugging Face tokenizers
// (`pre_tokenizers/byte_level.rs`: `bytes_char` and the ByteLevel decoder; reference/fast.md B1,
// D2.1). Every byte maps to one printable character; decoding concatenates the bytes of all
// tokens and decodes them lossily, like Rust's `String::from_utf8_lossy`.

/** Code point of the byte-level character of each byte. */
export const BYTE_TO_CHAR: Uint16Array = (() => {
  const table = new Uint16Array(256);
  let next = 0x100;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    table[b] = printable ? b : next++;
  }
  return table;
})();

const CHAR_TO_BYTE: Int16Array = (() => {
  const table = new Int16Array(0x144).fill(-1);
  for (let b = 0; b < 256; b++) table[BYTE_TO_CHAR[b]] = b;
  return table;
})();

/** The byte a byte-level character stands for, or -1 if `cp` is not a byte-level character. */
export function charToByte(cp: number): number {
  return cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
}

/** Number of UTF-8 bytes of a code point. */
export function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Writes the UTF-8 bytes of `cp` at `out[pos]` and returns the position after them. */
export function writeUtf8(cp: number, out: Uint8Array, pos: number): number {
  if (cp < 0x80) {
    out[pos] = cp;
    return pos + 1;
  }
  if (cp < 0x800) {
    out[pos] = 0xc0 | (cp >> 6);
    out[pos + 1] = 0x80 | (cp & 0x3f);
    return pos + 2;
  }
  if (cp < 0x10000) {
    out[pos] = 0xe0 | (cp >> 12);
    out[pos + 1] = 0x80 | ((cp >> 6) & 0x3f);
    out[pos + 2] = 0x80 | (cp & 0x3f);
    return pos + 3;
  }
  out[pos] = 0xf0 | (cp >> 18);
  out[pos + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[pos + 2] = 0x80 | ((cp >> 6) & 0x3f);
  out[pos + 3] = 0x80 | (cp & 0x3f);
  return pos + 4;
}

/** The byte-level string of some bytes (what a vocab entry looks like). */
export function bytesToByteLevel(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(BYTE_TO_CHAR[bytes[i]]);
  return s;
}

/**
 * Bytes a vocab token stands for when decoding: the inverse byte-level map if every character
 * is a byte-level character, otherwise the token's own UTF-8 bytes (the ByteLevel decoder's
 * fallback, reached by the raw-alphabet entries of fitted vocabularies).
 */
export function tokenBytes(token: string): Uint8Array {
  const cps = Array.from(token, (ch) => ch.codePointAt(0) as number);
  if (cps.every((cp) => charToByte(cp) >= 0)) return Uint8Array.from(cps, charToByte);
  return new TextEncoder().encode(token);
}

export const REPLACEMENT_CHAR = 0xfffd;

/**
 * Lossy UTF-8 decoding into code points: each maximal invalid subsequence becomes U+FFFD
 * (the WHATWG decoder, which agrees with Rust's `from_utf8_lossy`). Writes into `out`, which
 * needs room for `length` entries, and returns the count.
 */
export function decodeUtf8Lossy(bytes: Uint8Array, length: number, out: Int32Array): number {
  let n = 0;
  let needed = 0;
  let seen = 0;
  let cp = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let i = 0;
  while (i < length) {
    const b = bytes[i];
    if (needed === 0) {
      i++;
      if (b < 0x80) out[n++] = b;
      else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        else if (b === 0xed) upper = 0x9f;
        needed = 2;
        cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        else if (b === 0xf4) upper = 0x8f;
        needed = 3;
        cp = b & 0x07;
      } else out[n++] = REPLACEMENT_CHAR;
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is invalid: one replacement, and this byte starts afresh.
      needed = seen = cp = 0;
      lower = 0x80;
      upper = 0xbf;
      out[n++] = REPLACEMENT_CHAR;
      continue;
    }
    i++;
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    if (++seen === needed) {
      out[n++] = cp;
      needed = seen = cp = 0;
    }
  }
  if (needed !== 0) out[n++] = REPLACEMENT_CHAR;
  return n;
}

/** A string from code points (chunked, so long inputs do not overflow the call stack). */
export function codePointsToString(cps: ArrayLike<number>): string {
  let s = "";
  const step = 4096;
  for (let i = 0; i < cps.length; i += step) {
    const part: number[] = [];
    const end = Math.min(cps.length, i + step);
    for (let k = i; k < end; k++) part.push(cps[k]);
    s += String.fromCodePoint(...part);
  }
  return s;
}
