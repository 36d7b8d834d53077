// Phase labels (src/eval/knn/phase-labels.ts): the same demonstration replayed at different speeds
// gets phases that follow its progress, in order, and the reference covers all K classes.
import { describe, expect, it } from "vitest";
import { dtwMedoid, phaseLabels } from "../../../../src/eval/knn/phase-labels.js";
import { CURVE_DIM, replay } from "./fixtures.js";

const K = 8;

describe("phaseLabels", () => {
  const runs = [replay(60, 1), replay(45, 1.4), replay(80, 0.7), replay(52, 1.1)];
  const { reference, labels } = phaseLabels(
    runs.map((r) => r.states),
    CURVE_DIM,
    K,
  );

  it("labels the reference with K equal-time phases covering every class", () => {
    const ref = labels[reference];
    const T = ref.length;
    expect(new Set(ref).size).toBe(K);
    for (let t = 0; t < T; t++) expect(ref[t]).toBe(Math.floor((t * K) / T));
  });

  it("gives every trajectory non-decreasing phases from the first class to the last", () => {
    for (const l of labels) {
      expect(l[0]).toBe(0);
      expect(l[l.length - 1]).toBe(K - 1);
      for (let t = 1; t < l.length; t++) expect(l[t]).toBeGreaterThanOrEqual(l[t - 1]);
    }
  });

  it("matches steps at the same progress to the same phase, whatever the speed", () => {
    const ref = runs[reference].progress;
    labels.forEach((l, j) => {
      runs[j].progress.forEach((s, t) => {
        // The reference step closest in progress, and its phase.
        let best = 0;
        for (let r = 1; r < ref.length; r++) if (Math.abs(ref[r] - s) < Math.abs(ref[best] - s)) best = r;
        expect(Math.abs(l[t] - labels[reference][best])).toBeLessThanOrEqual(1);
      });
    });
  });

  it("picks the medoid, not an outlier, as reference; ties go to the lowest index", () => {
    const outlier = replay(50, 1).states.map((v) => v + 5);
    expect(dtwMedoid([outlier, runs[0].states, runs[1].states], CURVE_DIM)).not.toBe(0);
    expect(dtwMedoid([runs[0].states, runs[0].states], CURVE_DIM)).toBe(0);
  });

  it("refuses more classes than reference steps", () => {
    expect(() => phaseLabels([replay(10, 1).states, replay(12, 1).states], CURVE_DIM, 32)).toThrow(/lower --classes/);
  });
});
