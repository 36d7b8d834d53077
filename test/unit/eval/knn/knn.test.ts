// Leave-one-group-out k-NN (src/eval/knn/knn.ts): separable data, exclusion of the own group, and the
// vote's tie-breaking.
import { describe, expect, it } from "vitest";
import { chanceLevel, leaveOneGroupOutKnn, vote } from "../../../../src/eval/knn/knn.js";
import { rng } from "./fixtures.js";

const v = (...x: number[]) => Float32Array.from(x);

describe("leaveOneGroupOutKnn", () => {
  it("scores 1 on well-separated clusters", () => {
    const r = rng(5);
    const vectors: Float32Array[] = [];
    const labels: number[] = [];
    const groups: number[] = [];
    for (let g = 0; g < 4; g++) {
      for (let c = 0; c < 3; c++) {
        for (let n = 0; n < 5; n++) {
          const x = new Float32Array(6).map(() => 0.05 * (r() - 0.5));
          x[c] += 1;
          vectors.push(x);
          labels.push(c);
          groups.push(g);
        }
      }
    }
    const res = leaveOneGroupOutKnn(vectors, labels, groups, 5);
    expect(res.accuracy).toBe(1);
    expect(res.correct).toBe(60);
    expect(res.total).toBe(60);
    expect(res.perClass).toEqual([0, 1, 2].map((label) => ({ label, correct: 20, total: 20 })));
  });

  it("never lets a vector vote for itself or its own group", () => {
    // Group 0 holds two class-0 vectors almost on top of each other: with the own group allowed, each
    // would be the other's nearest neighbour and be classified right. Group 1's nearest vector to
    // them is class 1, so leave-one-group-out must answer 1.
    const vectors = [v(1, 0), v(1, 0.001), v(1, 0.05), v(-1, 1)];
    const labels = [0, 0, 1, 0];
    const groups = [0, 0, 1, 1];
    const res = leaveOneGroupOutKnn(vectors, labels, groups, 1);
    expect(res.predictions[0]).toBe(1);
    expect(res.predictions[1]).toBe(1);
    expect(res.correct).toBeLessThanOrEqual(2);
  });

  it("uses cosine distance (scale does not matter)", () => {
    const vectors = [v(1, 0), v(100, 1), v(0, 1), v(1, 100)];
    const res = leaveOneGroupOutKnn(vectors, [0, 0, 1, 1], [0, 1, 0, 1], 1);
    expect(Array.from(res.predictions)).toEqual([0, 0, 1, 1]);
  });

  it("breaks vote ties by summed distance, then by class id", () => {
    // Query at (1,0); k = 2 neighbours of classes 1 and 2, class 2's is closer → 2.
    const q = v(1, 0);
    const res = leaveOneGroupOutKnn([q, v(1, 0.5), v(1, 0.2)], [2, 1, 2], [0, 1, 1], 2);
    expect(res.predictions[0]).toBe(2);
    // Equal distances (mirror images): lowest class id.
    const tie = leaveOneGroupOutKnn([q, v(1, 0.3), v(1, -0.3)], [0, 5, 3], [0, 1, 1], 2);
    expect(tie.predictions[0]).toBe(3);
  });

  it("agrees with a naive implementation (odd sizes exercise the blocked distance loop's edges)", () => {
    const r = rng(9);
    for (const [N, dim, k] of [[23, 5, 3], [37, 7, 5], [6, 3, 1]] as const) {
      const vectors = Array.from({ length: N }, () => Float32Array.from({ length: dim }, () => r() - 0.5));
      const labels = Array.from({ length: N }, () => Math.floor(r() * 4));
      const groups = Array.from({ length: N }, (_, i) => Math.floor(i / 3) % 4);
      const norm = (x: Float32Array) => Math.sqrt(x.reduce((s, y) => s + y * y, 0));
      const cos = (x: Float32Array, y: Float32Array) => 1 - x.reduce((s, xi, i) => s + xi * y[i], 0) / (norm(x) * norm(y));
      const naive = vectors.map((x, i) => {
        const nn = vectors
          .map((y, j) => ({ j, d: cos(x, y) }))
          .filter(({ j }) => groups[j] !== groups[i])
          .sort((p, q) => p.d - q.d || p.j - q.j)
          .slice(0, k);
        return vote(nn.map(({ j }) => labels[j]), nn.map(({ d }) => d));
      });
      expect(Array.from(leaveOneGroupOutKnn(vectors, labels, groups, k).predictions)).toEqual(naive);
    }
  });

  it("rejects mismatched inputs and a single group", () => {
    expect(() => leaveOneGroupOutKnn([v(1), v(2)], [0], [0, 1], 1)).toThrow(/one label and one group/);
    expect(() => leaveOneGroupOutKnn([v(1), v(2)], [0, 1], [0, 0], 1)).toThrow(/two groups/);
    expect(() => leaveOneGroupOutKnn([v(1), v(2)], [0, 1], [0, 1], 0)).toThrow(/positive integer/);
    expect(() => leaveOneGroupOutKnn([v(1), v(2, 3)], [0, 1], [0, 1], 1)).toThrow(/one dimension/);
  });
});

describe("vote", () => {
  it("takes the majority, then the smallest summed distance, then the lowest class", () => {
    expect(vote([3, 1, 1], [0.1, 0.2, 0.3])).toBe(1);
    expect(vote([1, 0, 0, 1], [0.1, 0.3, 0.3, 0.2])).toBe(1);
    expect(vote([0, 1, 1, 0], [0.1, 0.2, 0.2, 0.3])).toBe(0);
    expect(vote([4, 2], [0.5, 0.5])).toBe(2);
  });
});

describe("chanceLevel", () => {
  it("is the frequency of the most common class", () => {
    expect(chanceLevel([0, 1, 1, 2])).toBe(0.5);
    expect(chanceLevel(Int32Array.from([7]))).toBe(1);
    expect(() => chanceLevel([])).toThrow();
  });
});
