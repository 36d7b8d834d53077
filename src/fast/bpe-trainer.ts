// BPE training, a port of Hugging Face tokenizers' `BpeTrainer::do_train` (models/bpe/trainer.rs
// and word.rs `merge`; reference/fast.md T2): words are the byte-level pre-tokens with their
// counts; the alphabet is every character seen plus the raw initial alphabet, by code point;
// the most frequent pair is merged (ties to the smallest (left id, right id)), with stale heap
// entries re-queued, until the vocab is full or the best count drops below min_frequency.

import { BYTE_TO_CHAR, writeUtf8 } from "./bytelevel.js";
import { FastInputError } from "./chunk.js";
import { PairMap } from "./pair-map.js";
import { splitPieces } from "./pretokenize.js";
import { MAX_CODE_POINT, isSurrogate } from "./quantize.js";

export interface BpeTrainerOptions {
  vocabSize: number;
  /** Pairs seen fewer times than this are never merged (FAST: 2). */
  minFrequency: number;
  /** Code points added to the alphabet as raw characters, not byte-mapped (FAST: 0 … max − min). */
  initialAlphabet?: Iterable<number>;
  /** Longest token, in characters, a merge may build (FAST: 10000); null for no limit. */
  maxTokenLength?: number | null;
}

export interface BpeTrainingResult {
  vocab: Map<string, number>;
  merges: [string, string][];
  alphabetSize: number;
  numWords: number;
  numWordOccurrences: number;
  /** Count of the last merge made (0 if none). */
  lastMergeCount: number;
  stoppedBy: "vocab_size" | "min_frequency" | "no_pairs";
  /** Merges whose token string already existed (the reference's ordering is unspecified there). */
  duplicateTokens: number;
}

/** A growable list of int32. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 4) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export class BpeTrainer {
  private readonly options: BpeTrainerOptions;
  private readonly wordIndex = new Map<string, number>();
  private readonly wordBytes: Uint8Array[] = [];
  private readonly wordCounts: number[] = [];
  private ends = new Int32Array(256);
  private bytes = new Uint8Array(1024);

  constructor(options: BpeTrainerOptions) {
    if (!Number.isInteger(options.vocabSize) || options.vocabSize < 0) throw new FastInputError(`vocab size ${options.vocabSize} must be a non-negative integer`);
    this.options = options;
  }

  /** Adds one training sequence given as code points: pre-tokenized, and its pieces counted. */
  feedCodePoints(cps: ArrayLike<number>, count = cps.length): void {
    for (let i = 0; i < count; i++) {
      const cp = cps[i];
      if (!(Number.isInteger(cp) && cp >= 0 && cp <= MAX_CODE_POINT) || isSurrogate(cp)) {
        throw new FastInputError(`training sequence holds ${cp}, which is not a Unicode scalar value`);
      }
    }
    if (count > this.ends.length) this.ends = new Int32Array(Math.max(count, this.ends.length * 2));
    if (count * 4 > this.bytes.length) this.bytes = new Uint8Array(Math.max(count * 4, this.bytes.length * 2));
    const n = splitPieces(cps, 0, count, this.ends);
    let s = 0;
    for (let p = 0; p < n; p++) {
      const e = this.ends[p];
      let nb = 0;
      for (let i = s; i < e; i++) nb = writeUtf8(cps[i], this.bytes, nb);
      let key = "";
      for (let i = 0; i < nb; i++) key += String.fromCharCode(this.bytes[i]);
      const w = this.wordIndex.get(key);
      if (w === undefined) {
        this.wordIndex.set(key, this.wordBytes.length);
        this.wordBytes.push(this.bytes.slice(0, nb));
        this.wordCounts.push(1);
      } else this.wordCounts[w]++;
      s = e;
    }
  }

  /** Adds one training sequence (a string). */
  feed(text: string): void {
    const cps = Array.from(text, (ch) => ch.codePointAt(0) as number);
    this.feedCodePoints(cps);
  }

  train(): BpeTrainingResult {
    const { vocabSize, minFrequency } = this.options;
    const maxLen = this.options.maxTokenLength ?? Number.MAX_SAFE_INTEGER;
    const words = this.wordBytes;
    const counts = this.wordCounts;

    // Alphabet: byte-level characters of the words ∪ raw initial alphabet, by code point.
    const chars = new Set<number>();
    for (const w of words) for (const b of w) chars.add(BYTE_TO_CHAR[b]);
    for (const cp of this.options.initialAlphabet ?? []) chars.add(cp);
    const alphabet = [...chars].sort((a, b) => a - b);
    const tokens: string[] = alphabet.map((cp) => String.fromCodePoint(cp));
    const tokenLen: number[] = alphabet.map(() => 1);
    const tokenToId = new Map<string, number>(tokens.map((t, i) => [t, i]));
    const byteToId = new Int32Array(256);
    for (let b = 0; b < 256; b++) byteToId[b] = tokenToId.get(String.fromCharCode(BYTE_TO_CHAR[b])) ?? -1;

    // Words as id sequences, stored flat; merges shrink them in place.
    const wordStart = new Int32Array(words.length + 1);
    for (let w = 0; w < words.length; w++) wordStart[w + 1] = wordStart[w] + words[w].length;
    const data = new Int32Array(wordStart[words.length]);
    const wordLen = new Int32Array(words.length);
    let occurrences = 0;
    for (let w = 0; w < words.length; w++) {
      const s = wordStart[w];
      words[w].forEach((b, i) => (data[s + i] = byteToId[b]));
      wordLen[w] = words[w].length;
      occurrences += counts[w];
    }

    // Pairs: index, ids, count; `pos` lists the words that gained the pair in the last step.
    const pairIndex = new PairMap(1024);
    const pairA: number[] = [];
    const pairB: number[] = [];
    const pairCount: number[] = [];
    const lastWord: number[] = [];
    const pending: (IntList | null)[] = [];
    const touched: number[] = [];
    const pairOf = (a: number, b: number): number => {
      let p = pairIndex.get(a, b);
      if (p < 0) {
        p = pairA.length;
        pairIndex.set(a, b, p);
        pairA.push(a);
        pairB.push(b);
        pairCount.push(0);
        lastWord.push(-1);
        pending.push(null);
      }
      return p;
    };
    const gained = (p: number, w: number): void => {
      let list = pending[p];
      if (list === null) {
        list = pending[p] = new IntList();
        touched.push(p);
      }
      if (lastWord[p] !== w) {
        lastWord[p] = w;
        list.push(w);
      }
    };
    for (let w = 0; w < words.length; w++) {
      const s = wordStart[w];
      for (let i = 0; i + 1 < wordLen[w]; i++) {
        const p = pairOf(data[s + i], data[s + i + 1]);
        pairCount[p] += counts[w];
        gained(p, w);
      }
    }

    // Queue entries: a pair, the count it was queued with, and its word list.
    const entPair: number[] = [];
    const entCount: number[] = [];
    const entPos: IntList[] = [];
    const heap: number[] = [];
    // Max-heap on count; ties: smaller (a, b) first; then older entries first.
    const before = (x: number, y: number): boolean => {
      const cx = entCount[x];
      const cy = entCount[y];
      if (cx !== cy) return cx > cy;
      const px = entPair[x];
      const py = entPair[y];
      if (px !== py) {
        const ax = pairA[px];
        const ay = pairA[py];
        return ax !== ay ? ax < ay : pairB[px] < pairB[py];
      }
      return x < y;
    };
    const push = (e: number): void => {
      let i = heap.length;
      heap.push(e);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(e, heap[parent])) break;
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = e;
    };
    const pop = (): number => {
      const top = heap[0];
      const last = heap.pop() as number;
      if (heap.length > 0) {
        let i = 0;
        const n = heap.length;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= n) break;
          if (c + 1 < n && before(heap[c + 1], heap[c])) c++;
          if (!before(heap[c], last)) break;
          heap[i] = heap[c];
          i = c;
        }
        heap[i] = last;
      }
      return top;
    };
    const flushPending = (): void => {
      for (const p of touched) {
        const list = pending[p] as IntList;
        pending[p] = null;
        lastWord[p] = -1;
        if (pairCount[p] > 0) {
          entPair.push(p);
          entCount.push(pairCount[p]);
          entPos.push(list);
          push(entPair.length - 1);
        }
      }
      touched.length = 0;
    };
    flushPending();

    const merges: [number, number][] = [];
    let lastMergeCount = 0;
    let duplicateTokens = 0;
    let stoppedBy: BpeTrainingResult["stoppedBy"] = "no_pairs";
    for (;;) {
      if (tokenToId.size >= vocabSize) {
        stoppedBy = "vocab_size";
        break;
      }
      if (heap.length === 0) break;
      const top = pop();
      const p = entPair[top];
      if (entCount[top] !== pairCount[p]) {
        entCount[top] = pairCount[p];
        push(top);
        continue;
      }
      const count = entCount[top];
      if (count < 1 || minFrequency > count) {
        stoppedBy = "min_frequency";
        break;
      }
      const a = pairA[p];
      const b = pairB[p];
      const newToken = tokens[a] + tokens[b];
      let rep = tokenToId.get(newToken);
      if (rep === undefined) {
        rep = tokens.length;
        tokens.push(newToken);
        tokenLen.push(tokenLen[a] + tokenLen[b]);
        tokenToId.set(newToken, rep);
      } else duplicateTokens++;
      merges.push([a, b]);
      lastMergeCount = count;

      // Merge the pair in every word that gained it, left to right, non-overlapping, and
      // update the counts of the neighbouring pairs (word.rs `merge`).
      const pos = entPos[top];
      const repLen = tokenLen[rep];
      for (let k = 0; k < pos.length; k++) {
        const w = pos.data[k];
        const s = wordStart[w];
        const n = wordLen[w];
        const cw = counts[w];
        let r = 0;
        let o = 0;
        while (r < n) {
          const x = data[s + r];
          if (x === a && r + 1 < n && data[s + r + 1] === b) {
            if (o > 0) {
              const left = data[s + o - 1];
              pairCount[pairOf(left, a)] -= cw;
              if (tokenLen[left] + repLen < maxLen) {
                const q = pairOf(left, rep);
                pairCount[q] += cw;
                gained(q, w);
              }
            }
            data[s + o++] = rep;
            r += 2;
            if (r < n) {
              const right = data[s + r];
              pairCount[pairOf(b, right)] -= cw;
              if (tokenLen[right] + repLen < maxLen) {
                const q = pairOf(rep, right);
                pairCount[q] += cw;
                gained(q, w);
              }
            }
          } else {
            data[s + o++] = x;
            r++;
          }
        }
        wordLen[w] = o;
      }
      flushPending();
    }

    const vocab = new Map<string, number>();
    tokens.forEach((t, i) => vocab.set(t, i));
    return {
      vocab,
      merges: merges.map(([x, y]) => [tokens[x], tokens[y]]),
      alphabetSize: alphabet.length,
      numWords: words.length,
      numWordOccurrences: occurrences,
      lastMergeCount,
      stoppedBy,
      duplicateTokens,
    };
  }
}
