// DTW (src/eval/knn/dtw.ts): optimal cost against brute force over all monotone paths, and the
// alignments it must produce on identical and time-stretched sequences.
import { describe, expect, it } from "vitest";
import { dtw, rowDistance, standardize } from "../../../../src/eval/knn/dtw.js";
import { rng } from "./fixtures.js";

function randomSeq(n: number, dim: number, r: () => number): Float64Array {
  return Float64Array.from({ length: n * dim }, () => r() * 2 - 1);
}

/** Minimum path cost over every path from (0,0) to (n-1,m-1) with steps (1,0), (0,1), (1,1). */
function bruteForce(a: Float64Array, b: Float64Array, dim: number): number {
  const n = a.length / dim;
  const m = b.length / dim;
  const walk = (i: number, j: number): number => {
    const c = rowDistance(a, i, b, j, dim);
    if (i === n - 1 && j === m - 1) return c;
    let best = Infinity;
    if (i + 1 < n) best = Math.min(best, walk(i + 1, j));
    if (j + 1 < m) best = Math.min(best, walk(i, j + 1));
    if (i + 1 < n && j + 1 < m) best = Math.min(best, walk(i + 1, j + 1));
    return c + best;
  };
  return walk(0, 0);
}

function pathCost(a: Float64Array, b: Float64Array, dim: number, path: [number, number][]): number {
  return path.reduce((s, [i, j]) => s + rowDistance(a, i, b, j, dim), 0);
}

describe("dtw", () => {
  it("finds the minimum over all monotone paths (brute force, random sequences)", () => {
    const r = rng(7);
    for (let trial = 0; trial < 40; trial++) {
      const dim = 1 + Math.floor(r() * 3);
      const a = randomSeq(1 + Math.floor(r() * 5), dim, r);
      const b = randomSeq(1 + Math.floor(r() * 5), dim, r);
      const res = dtw(a, b, dim);
      expect(res.distance).toBeCloseTo(bruteForce(a, b, dim), 10);
      // The returned path is a valid warping path whose cost is the distance.
      const n = a.length / dim;
      const m = b.length / dim;
      expect(res.path[0]).toEqual([0, 0]);
      expect(res.path[res.path.length - 1]).toEqual([n - 1, m - 1]);
      for (let p = 1; p < res.path.length; p++) {
        const di = res.path[p][0] - res.path[p - 1][0];
        const dj = res.path[p][1] - res.path[p - 1][1];
        expect([[1, 0], [0, 1], [1, 1]]).toContainEqual([di, dj]);
      }
      expect(pathCost(a, b, dim, res.path)).toBeCloseTo(res.distance, 10);
    }
  });

  it("aligns a sequence with itself along the diagonal at cost 0", () => {
    const a = randomSeq(12, 4, rng(3));
    const res = dtw(a, a, 4);
    expect(res.distance).toBe(0);
    expect(res.path).toEqual(Array.from({ length: 12 }, (_, i) => [i, i]));
  });

  it("aligns a time-stretched copy to its original", () => {
    const dim = 2;
    const a = randomSeq(15, dim, rng(11));
    // Every step held for two steps: step j of b shows step floor(j/2) of a.
    const b = new Float64Array(30 * dim);
    for (let j = 0; j < 30; j++) b.set(a.subarray(Math.floor(j / 2) * dim, (Math.floor(j / 2) + 1) * dim), j * dim);
    const res = dtw(a, b, dim);
    expect(res.distance).toBeCloseTo(0, 12);
    for (const [i, j] of res.path) expect(i).toBe(Math.floor(j / 2));
    expect(res.path).toHaveLength(30);
  });

  it("rejects sequences that are not [steps × dim]", () => {
    expect(() => dtw(new Float64Array(5), new Float64Array(4), 2)).toThrow(/multiple of dim 2/);
    expect(() => dtw(new Float64Array(0), new Float64Array(4), 2)).toThrow(/non-empty/);
  });
});

describe("standardize", () => {
  it("gives every dimension zero mean and unit std over all sequences; constant dims stay finite", () => {
    const x = Float64Array.from([1, 5, 10, 3, 5, 20]);
    const y = Float64Array.from([5, 5, 30]);
    const [zx, zy] = standardize([x, y], 3);
    const all = [...zx, ...zy];
    for (let k = 0; k < 3; k++) {
      const col = all.filter((_, i) => i % 3 === k);
      const mean = col.reduce((s, v) => s + v, 0) / col.length;
      const sd = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length);
      expect(mean).toBeCloseTo(0, 12);
      expect(sd).toBeCloseTo(k === 1 ? 0 : 1, 12);
    }
    expect(all.every(Number.isFinite)).toBe(true);
    expect(x[0]).toBe(1); // inputs untouched
  });
});
