// Smoothing and confidence intervals behind the figures.
import { describe, expect, it } from "vitest";
import { meanInterval, wilsonInterval } from "../../../src/report/intervals.js";
import { autoWindow, movingAverage } from "../../../src/report/smoothing.js";

describe("movingAverage", () => {
  it("averages a centred window, shrinking at the ends", () => {
    expect(movingAverage([1, 2, 3, 4, 5], 3)).toEqual([1.5, 2, 3, 4, 4.5]);
    expect(movingAverage([1, 2, 3], 1)).toEqual([1, 2, 3]);
  });
  it("leaves missing points out and keeps them as gaps", () => {
    const out = movingAverage([1, Number.NaN, 3, Infinity, 5], 3);
    expect(out[0]).toBe(1);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(3);
    expect(out[3]).toBeNaN();
    expect(out[4]).toBe(5);
    expect(autoWindow(10)).toBe(1);
    expect(autoWindow(1e6)).toBe(200);
  });
});

describe("intervals", () => {
  it("Wilson stays inside [0, 1] and is not empty at the ends", () => {
    const zero = wilsonInterval(0, 20);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeGreaterThan(0.1);
    const mid = wilsonInterval(0.5, 100);
    expect(mid.low).toBeCloseTo(0.4038, 3);
    expect(mid.high).toBeCloseTo(0.5962, 3);
    expect(wilsonInterval(0.5, 0).low).toBeNaN();
  });
  it("normal interval for a mean", () => {
    const iv = meanInterval(1, 2, 16);
    expect(iv.high - iv.low).toBeCloseTo(2 * 1.96 * 0.5, 2);
  });
});
