// Action normalization: openpi's quantile map reproduces the fixture's normalized actions from
// the raw ones, the statistics match np.quantile, and every mode inverts.
import { describe, expect, it } from "vitest";

import { ActionNormalizer, type ActionStats, computeActionStats, quantileSorted } from "../../../src/fast/index.js";
import { type ActionsFixture, chunks, fixture, fixtureSuite, haveFixtures } from "./fixtures.js";

describe.skipIf(!haveFixtures)(fixtureSuite("normalization vs reference"), () => {
  it("computes q01/q99 exactly as np.quantile over every timestep", () => {
    const a = fixture<ActionsFixture>("actions.json");
    const stats = computeActionStats(chunks(a.raw_train));
    expect(stats.q01).toEqual(a.norm_stats.q01);
    expect(stats.q99).toEqual(a.norm_stats.q99);
    expect(stats.count).toBe(a.raw_train.length * a.H);
  });

  it("normalizes raw actions to the fixture's FAST inputs with openpi's formula (no clip)", () => {
    const a = fixture<ActionsFixture>("actions.json");
    const n = ActionNormalizer.fromJSON({ norm_stats: { actions: a.norm_stats } }, "openpi norm_stats");
    expect(n.spec).toEqual({ mode: "quantile", clip: false, eps: 1e-6 });
    for (const [raw, norm] of [
      [a.raw_train, a.train],
      [a.raw_heldout, a.heldout],
    ] as const) {
      let fwd = 0;
      let inv = 0;
      chunks(raw).forEach((c, i) => {
        const y = n.normalize(c);
        norm[i].flat().forEach((v, k) => (fwd = Math.max(fwd, Math.abs(y.data[k] - v))));
        n.unnormalize(y).data.forEach((v, k) => (inv = Math.max(inv, Math.abs(v - c.data[k]))));
      });
      expect(fwd).toBeLessThanOrEqual(1e-15);
      expect(inv).toBeLessThan(1e-14);
    }
  });

  it("clips to [-1, 1] when asked", () => {
    const a = fixture<ActionsFixture>("actions.json");
    const n = new ActionNormalizer(computeActionStats(chunks(a.raw_train)), { mode: "quantile", clip: true });
    let outside = 0;
    let largest = 0;
    for (const c of chunks(a.raw_train)) {
      for (const v of n.normalize(c).data) {
        largest = Math.max(largest, Math.abs(v));
        if (Math.abs(v) === 1) outside++;
      }
    }
    expect(largest).toBe(1);
    expect(outside).toBeGreaterThan(0);
  });
});

describe("ActionNormalizer", () => {
  const data = [
    { horizon: 2, dim: 2, data: Float64Array.of(0, 10, 1, 20) },
    { horizon: 2, dim: 2, data: Float64Array.of(2, 30, 3, 40) },
  ];

  it("computes mean, population std, min and max per dimension", () => {
    const s = computeActionStats(data);
    expect(s.mean).toEqual([1.5, 25]);
    expect(s.std).toEqual([Math.sqrt(1.25), Math.sqrt(125)]);
    expect(s.min).toEqual([0, 10]);
    expect(s.max).toEqual([3, 40]);
  });

  it("takes linear-interpolated quantiles like numpy (including its t ≥ 0.5 form)", () => {
    // numpy 2.4: np.quantile([1., 2., 4., 8.], [0.01, 0.5, 0.99]).tolist() == [1.03, 3.0, 7.879999999999999]
    expect(quantileSorted([1, 2, 4, 8], 0.01)).toBe(1.03);
    expect(quantileSorted([1, 2, 4, 8], 0.5)).toBe(3);
    expect(quantileSorted([1, 2, 4, 8], 0.99)).toBe(7.879999999999999);
    expect(quantileSorted([5], 0.3)).toBe(5);
  });

  it("maps min-max to [-1, 1] and mean-std to z-scores, and inverts both", () => {
    const s = computeActionStats(data);
    const mm = new ActionNormalizer(s, { mode: "minmax" });
    const y = mm.normalize(data[0]);
    expect(y.data[0]).toBeCloseTo(-1, 6);
    expect(mm.normalize(data[1]).data[3]).toBeCloseTo(1, 6);
    const z = new ActionNormalizer(s, { mode: "meanstd" });
    expect(z.normalize(data[1]).data[1]).toBeCloseTo((30 - 25) / Math.sqrt(125), 9);
    for (const n of [mm, z]) {
      const back = n.unnormalize(n.normalize(data[1]));
      back.data.forEach((v, i) => expect(v).toBeCloseTo(data[1].data[i], 12));
    }
  });

  it("round-trips its JSON and rejects bad statistics", () => {
    const n = new ActionNormalizer(computeActionStats(data), { mode: "quantile" });
    const copy = ActionNormalizer.fromJSON(JSON.parse(JSON.stringify(n.toJSON())));
    expect(copy.toJSON()).toEqual(n.toJSON());
    expect(copy.spec.clip).toBe(true);
    const bad: ActionStats = { ...computeActionStats(data), q01: [0] };
    expect(() => new ActionNormalizer(bad, { mode: "quantile" })).toThrow(/needs 2 finite values/);
    expect(() => n.normalize({ horizon: 1, dim: 3, data: new Float64Array(3) })).toThrow(/3 action dims/);
    expect(() => ActionNormalizer.fromJSON({ mode: "zscore" })).toThrow(/"mode" must be one of/);
  });
});
