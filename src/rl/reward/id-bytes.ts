// ref: reference/grpo.md §4.3 (this project scores rewards on ids, quirk Q6)
//
// The concatenated bytes of a response's ids with the byte offset of every id, so tags can be
// searched in bytes and found back as id indices. Opaque ids (action tokens) and ids the table
// does not know become one NUL byte each: never whitespace and never part of a tag, so a tag
// cannot be spelled across an action token and stray action tokens outside the tags break the
// format; rewards read opaque ids by id instead.

import type { TokenByteTable } from "./token-bytes.js";

export interface IdBytes {
  bytes: Uint8Array;
  /** starts[i] = byte offset of id i; starts[n] = bytes.length. */
  starts: Int32Array;
  /** Ids the table has no bytes for (garbage from the generator; each scored as one opaque byte). */
  unknownIds: number;
}

const OPAQUE = 0x00;

export function concatIdBytes(ids: ArrayLike<number>, table: TokenByteTable, isOpaque: (id: number) => boolean = () => false): IdBytes {
  const n = ids.length;
  const starts = new Int32Array(n + 1);
  const parts: (Uint8Array | undefined)[] = new Array(n);
  let unknownIds = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    starts[i] = total;
    const id = ids[i];
    const b = isOpaque(id) ? undefined : table.bytesOf(id);
    if (b === undefined && !isOpaque(id)) unknownIds++;
    parts[i] = b;
    total += b === undefined ? 1 : b.length;
  }
  starts[n] = total;
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    const b = parts[i];
    if (b === undefined) bytes[starts[i]] = OPAQUE;
    else bytes.set(b, starts[i]);
  }
  return { bytes, starts, unknownIds };
}

/** First id index i with starts[i] ≥ byte (n when none). */
export function idAtOrAfter(starts: Int32Array, byte: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] >= byte) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Id index range [start, end) of the ids lying entirely inside bytes [from, to). */
export function idsWithin(starts: Int32Array, from: number, to: number): { start: number; end: number } {
  const start = idAtOrAfter(starts, from);
  let end = start;
  while (end < starts.length - 1 && starts[end + 1] <= to) end++;
  return { start, end: Math.max(start, end) };
}
