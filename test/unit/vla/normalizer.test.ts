// Normalisation as GR00T's StateActionTransform: min_max to [-1, 1] (constant dims → 0), mean_std,
// exact inverses, and the two-valued gripper detection.
import { describe, expect, it } from "vitest";
import { denormalize, detectBinaryGripper, normalize, vectorStats } from "../../../src/vla/normalizer.js";

const rows = [
  [0, 5, -1],
  [2, 5, 1],
  [4, 5, 1],
  [1, 5, -1],
];
const flat = rows.flat();

describe("vla normalizer", () => {
  it("computes per-dimension statistics", () => {
    const s = vectorStats(flat, 3);
    expect(s.min).toEqual([0, 5, -1]);
    expect(s.max).toEqual([4, 5, 1]);
    expect(s.mean).toEqual([1.75, 5, 0]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt((1.75 ** 2 + 0.25 ** 2 + 2.25 ** 2 + 0.75 ** 2) / 4), 12);
    expect(() => vectorStats([], 3)).toThrow(/no frames/);
  });

  for (const mode of ["min_max", "mean_std"] as const) {
    it(`${mode}: maps into normalised space and back exactly; constant dims become 0`, () => {
      const s = vectorStats(flat, 3);
      const out = new Float32Array(flat.length);
      normalize(flat, s, mode, out);
      for (let r = 0; r < rows.length; r++) expect(out[r * 3 + 1]).toBe(0);
      if (mode === "min_max") {
        expect(Math.min(...out.filter((_, i) => i % 3 === 0))).toBe(-1);
        expect(Math.max(...out.filter((_, i) => i % 3 === 0))).toBe(1);
      }
      for (let r = 0; r < rows.length; r++) {
        const back = denormalize(out.subarray(r * 3, r * 3 + 3), s, mode);
        expect(back[0]).toBeCloseTo(rows[r][0], 5);
        expect(back[2]).toBeCloseTo(rows[r][2], 5);
      }
    });
  }

  it("detects a gripper that takes exactly two values", () => {
    expect(detectBinaryGripper(flat, 3)).toEqual({ index: 2, low: -1, high: 1 });
    expect(detectBinaryGripper([0, 0.1, 0, 0.5, 0, 1], 2)).toBeNull();
    expect(detectBinaryGripper([0, 1, 0, 1], 2)).toBeNull();
  });
});
