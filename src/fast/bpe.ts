// Byte-level BPE model, encode and decode, as Hugging Face tokenizers' `models/bpe` (model.rs
// `merge_word`, word.rs `merge_all`; reference/fast.md P1–P5, D2.1): initial symbols are the
// byte-level characters of a piece that exist in the vocab (others are dropped), then the
// adjacent pair of lowest merge rank is merged, leftmost first, until no pair has a rank.

import { BYTE_TO_CHAR, bytesToByteLevel, tokenBytes } from "./bytelevel.js";
import { FastInputError } from "./chunk.js";
import { PairMap } from "./pair-map.js";

/** A growable int32 buffer, reused across calls to avoid allocation. */
export class IdBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = v;
  }
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new Int32Array(Math.max(n, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** Merge keys pack (rank, position) into one double; positions stay below this bound. */
const POS_LIMIT = 1 << 22;

export interface BpeModelOptions {
  /** tokenizers' `ignore_merges`: a piece that is itself a vocab entry maps straight to it. */
  ignoreMerges?: boolean;
}

export class BpeModel {
  readonly vocab: ReadonlyMap<string, number>;
  readonly merges: ReadonlyArray<readonly [string, string]>;
  readonly ignoreMerges: boolean;
  /** Token of each id (undefined where the id is unused). */
  readonly idToToken: ReadonlyArray<string | undefined>;

  private readonly byteIds = new Int32Array(256).fill(-1);
  /** Merge rank of two adjacent bytes' symbols (`byteRank[b1 * 256 + b2]`), or -1. */
  private readonly byteRank = new Int32Array(65536).fill(-1);
  private readonly pairRanks: PairMap;
  private readonly rankNewId: Int32Array;
  private readonly tokenStart: Int32Array;
  private readonly tokenLength: Int32Array;
  private readonly tokenByteData: Uint8Array;

  // Scratch state of `encodeBytes`, grown on demand.
  private sym = new Int32Array(256);
  private symByte = new Uint8Array(256);
  private prev = new Int32Array(256);
  private next = new Int32Array(256);
  private tree = new Float64Array(512);

  constructor(vocab: ReadonlyMap<string, number>, merges: ReadonlyArray<readonly [string, string]>, options: BpeModelOptions = {}) {
    this.vocab = vocab;
    this.merges = merges;
    this.ignoreMerges = options.ignoreMerges ?? false;

    let maxId = -1;
    for (const [token, id] of vocab) {
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
        throw new FastInputError(`vocab entry ${JSON.stringify(token)} has id ${id}; ids must be non-negative integers`);
      }
      if (id > maxId) maxId = id;
    }
    // Ids must be unique: decoding needs one token per id, and the merge order below relies on
    // distinct tokens having distinct ids.
    const idToToken: (string | undefined)[] = new Array(maxId + 1);
    for (const [token, id] of vocab) {
      const other = idToToken[id];
      if (other !== undefined) throw new FastInputError(`vocab maps both ${JSON.stringify(other)} and ${JSON.stringify(token)} to id ${id}`);
      idToToken[id] = token;
    }
    this.idToToken = idToToken;

    for (let b = 0; b < 256; b++) {
      const id = vocab.get(String.fromCharCode(BYTE_TO_CHAR[b]));
      if (id !== undefined) this.byteIds[b] = id;
    }

    // Rank = index in `merges`; a repeated pair keeps its last rank (Rust HashMap insert).
    this.pairRanks = new PairMap(merges.length);
    this.rankNewId = new Int32Array(merges.length);
    merges.forEach(([a, b], rank) => {
      const aId = vocab.get(a);
      const bId = vocab.get(b);
      const newId = vocab.get(a + b);
      for (const [tok, id] of [[a, aId], [b, bId], [a + b, newId]] as const) {
        if (id === undefined) throw new FastInputError(`merge ${rank} (${JSON.stringify(a)} ${JSON.stringify(b)}) uses ${JSON.stringify(tok)}, which is not in the vocab`);
      }
      this.pairRanks.set(aId as number, bId as number, rank);
      this.rankNewId[rank] = newId as number;
    });

    for (let b1 = 0; b1 < 256; b1++) {
      if (this.byteIds[b1] < 0) continue;
      for (let b2 = 0; b2 < 256; b2++) {
        if (this.byteIds[b2] >= 0) this.byteRank[b1 * 256 + b2] = this.pairRanks.get(this.byteIds[b1], this.byteIds[b2]);
      }
    }

    // Decode table: the bytes of every token, flat.
    const parts: Uint8Array[] = [];
    this.tokenStart = new Int32Array(maxId + 1);
    this.tokenLength = new Int32Array(maxId + 1).fill(-1);
    let total = 0;
    for (let id = 0; id <= maxId; id++) {
      const token = idToToken[id];
      if (token === undefined) continue;
      const bytes = tokenBytes(token);
      parts.push(bytes);
      this.tokenStart[id] = total;
      this.tokenLength[id] = bytes.length;
      total += bytes.length;
    }
    this.tokenByteData = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      this.tokenByteData.set(p, off);
      off += p.length;
    }
  }

  /** Number of vocab entries (tokenizers' `get_vocab_size`). */
  get vocabSize(): number {
    return this.vocab.size;
  }

  /** One more than the highest id. */
  get idLimit(): number {
    return this.idToToken.length;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  /** BPE of one pre-token given as UTF-8 bytes `bytes[start, end)`; appends the ids to `out`. */
  encodeBytes(bytes: Uint8Array, start: number, end: number, out: IdBuffer): void {
    const len = end - start;
    if (len <= 0) return;
    if (this.ignoreMerges) {
      const whole = this.vocab.get(bytesToByteLevel(bytes.subarray(start, end)));
      if (whole !== undefined) {
        out.push(whole);
        return;
      }
    }
    if (len > this.sym.length) this.growScratch(len);
    const sym = this.sym;
    const symByte = this.symByte;
    const byteIds = this.byteIds;
    let n = 0;
    for (let i = start; i < end; i++) {
      const id = byteIds[bytes[i]];
      if (id >= 0) {
        symByte[n] = bytes[i];
        sym[n++] = id;
      }
    }
    if (n <= 1) {
      if (n === 1) out.push(sym[0]);
      return;
    }
    if (n >= POS_LIMIT) throw new FastInputError(`a pre-token of ${n} bytes is too long to encode (limit ${POS_LIMIT - 1})`);
    const prev = this.prev;
    const next = this.next;
    const pairRanks = this.pairRanks;
    const rankNewId = this.rankNewId;
    const byteRank = this.byteRank;
    for (let i = 0; i < n; i++) {
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    // tokenizers pops (rank, position) merge candidates from a heap and skips stale ones (whose
    // current pair no longer yields the same token). The pair at a position only ever grows, so
    // with unique ids no stale candidate passes that check: the merge made is always the current
    // adjacent pair of lowest (rank, position). A tournament tree over positions finds it
    // directly: leaf i holds rank · 2^22 + i for the pair starting at symbol i (∞ if none), and
    // each node the minimum of its children.
    let leaves = 1;
    while (leaves < n) leaves <<= 1;
    if (2 * leaves > this.tree.length) this.tree = new Float64Array(2 * leaves);
    const tree = this.tree;
    for (let i = 0; i < leaves; i++) {
      let key = Infinity;
      if (i + 1 < n) {
        const r = byteRank[(symByte[i] << 8) | symByte[i + 1]];
        if (r >= 0) key = r * POS_LIMIT + i;
      }
      tree[leaves + i] = key;
    }
    for (let j = leaves - 1; j >= 1; j--) {
      const l = tree[2 * j];
      const r = tree[2 * j + 1];
      tree[j] = l < r ? l : r;
    }
    for (;;) {
      const top = tree[1];
      if (top === Infinity) break;
      const rank = Math.floor(top / POS_LIMIT);
      const pos = top - rank * POS_LIMIT;
      const newId = rankNewId[rank];
      const right = next[pos];
      const after = next[right];
      sym[pos] = newId;
      next[pos] = after;
      if (after !== -1) prev[after] = pos;
      const before = prev[pos];
      // Three leaves change: the absorbed symbol's (now none), this position's and the
      // previous one's. Their paths to the root are recomputed together where they meet.
      let kPos = Infinity;
      if (after !== -1) {
        const r = pairRanks.get(newId, sym[after]);
        if (r >= 0) kPos = r * POS_LIMIT + pos;
      }
      let a = -1;
      if (before >= 0) {
        const r = pairRanks.get(sym[before], newId);
        a = leaves + before;
        tree[a] = r >= 0 ? r * POS_LIMIT + before : Infinity;
        a >>= 1;
      }
      let b = leaves + pos;
      let c = leaves + right;
      tree[b] = kPos;
      tree[c] = Infinity;
      b >>= 1;
      c >>= 1;
      // Below the meeting point every node on the three paths is recomputed.
      // The leaves sit at one depth, so a ≤ b ≤ c stay level with each other.
      while (b !== c || (a !== -1 && a !== b)) {
        let l: number;
        let r: number;
        if (a !== -1) {
          if (a !== b) {
            l = tree[2 * a];
            r = tree[2 * a + 1];
            tree[a] = l < r ? l : r;
          }
          a >>= 1;
        }
        l = tree[2 * b];
        r = tree[2 * b + 1];
        tree[b] = l < r ? l : r;
        if (c !== b) {
          l = tree[2 * c];
          r = tree[2 * c + 1];
          tree[c] = l < r ? l : r;
        }
        b >>= 1;
        c >>= 1;
      }
      // Above it, one path, stopping once a node keeps its value.
      for (; b >= 1; b >>= 1) {
        const l = tree[2 * b];
        const r = tree[2 * b + 1];
        const m = l < r ? l : r;
        if (tree[b] === m) break;
        tree[b] = m;
      }
    }
    out.reserve(out.length + n);
    for (let i = 0; i !== -1; i = next[i]) out.data[out.length++] = sym[i];
  }

  /**
   * Appends the bytes of each id to `out.data` (growing it) and advances `out.length`; ids with
   * no vocab entry are skipped, as tokenizers' decode does. Ids must already be validated as
   * non-negative integers.
   */
  appendTokenBytes(ids: ArrayLike<number>, out: { data: Uint8Array; length: number }): void {
    const limit = this.tokenLength.length;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id >= limit) continue;
      const len = this.tokenLength[id];
      if (len < 0) continue;
      if (out.length + len > out.data.length) {
        const grown = new Uint8Array(Math.max(out.length + len, out.data.length * 2));
        grown.set(out.data.subarray(0, out.length));
        out.data = grown;
      }
      const s = this.tokenStart[id];
      for (let k = 0; k < len; k++) out.data[out.length + k] = this.tokenByteData[s + k];
      out.length += len;
    }
  }

  private growScratch(n: number): void {
    let cap = this.sym.length;
    while (cap < n) cap *= 2;
    this.sym = new Int32Array(cap);
    this.symByte = new Uint8Array(cap);
    this.prev = new Int32Array(cap);
    this.next = new Int32Array(cap);
  }
}
