// Open-addressing hash map from a pair of non-negative int32 ids to an int32 value, the merge
// table of BPE (pair → rank) and the pair index of the trainer. Typed arrays keep lookups
// allocation-free on the encode and training hot paths.

const EMPTY = -1;

function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

export class PairMap {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keysA = new Int32Array(cap).fill(EMPTY);
    this.keysB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const keysA = this.keysA;
    const mask = this.mask;
    let h = hashPair(a, b) & mask;
    for (;;) {
      const ka = keysA[h];
      if (ka === EMPTY) return -1;
      if (ka === a && this.keysB[h] === b) return this.values[h];
      h = (h + 1) & mask;
    }
  }

  /** Stores `value` for (a, b), replacing any previous value. */
  set(a: number, b: number, value: number): void {
    if ((this.size + 1) * 2 > this.keysA.length) this.grow();
    const mask = this.mask;
    let h = hashPair(a, b) & mask;
    for (;;) {
      const ka = this.keysA[h];
      if (ka === EMPTY) {
        this.keysA[h] = a;
        this.keysB[h] = b;
        this.values[h] = value;
        this.size++;
        return;
      }
      if (ka === a && this.keysB[h] === b) {
        this.values[h] = value;
        return;
      }
      h = (h + 1) & mask;
    }
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    const cap = keysA.length * 2;
    this.keysA = new Int32Array(cap).fill(EMPTY);
    this.keysB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== EMPTY) this.set(keysA[i], keysB[i], values[i]);
  }
}
