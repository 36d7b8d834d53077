// Axis ticks: round steps, ticks that cover the data, readable labels, and the log axis.
import { describe, expect, it } from "vitest";
import { formatTick, linearTicks, logTicks, makeScale, niceStep, tickLabels } from "../../../src/report/scale.js";
import { rng } from "../../../src/util/random.js";

/** m × 10^k with m in {1, 2, 2.5, 5}. */
function isRound(step: number): boolean {
  const m = step / 10 ** Math.floor(Math.log10(step));
  return [1, 2, 2.5, 5, 10].some((r) => Math.abs(m - r) < 1e-9);
}

describe("linearTicks", () => {
  it("gives round ticks covering random data ranges", () => {
    const u = rng(11);
    for (let i = 0; i < 500; i++) {
      const scale = 10 ** Math.floor(u() * 12 - 6);
      const a = (u() - 0.3) * scale;
      const b = a + u() * scale;
      const t = linearTicks(a, b);
      expect(isRound(t.step!), `step ${t.step} for [${a}, ${b}]`).toBe(true);
      expect(t.values[0]).toBeLessThanOrEqual(a);
      expect(t.values[t.values.length - 1]).toBeGreaterThanOrEqual(b);
      expect(t.values.length).toBeGreaterThanOrEqual(2);
      expect(t.values.length).toBeLessThanOrEqual(12);
      for (const v of t.values) expect(Math.abs(v / t.step! - Math.round(v / t.step!))).toBeLessThan(1e-6);
    }
  });
  it("prints clean values", () => {
    expect(linearTicks(0, 1).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0.13, 0.87).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(1, 487).values).toEqual([0, 100, 200, 300, 400, 500]);
    expect(tickLabels(linearTicks(0, 1))).toEqual(["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
  });
  it("widens a single value and survives non-finite input", () => {
    const t = linearTicks(3, 3);
    expect(t.min).toBeLessThan(3);
    expect(t.max).toBeGreaterThan(3);
    expect(linearTicks(0, 0).values.length).toBeGreaterThan(1);
    expect(linearTicks(Number.NaN, Infinity).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
  it("does not mix exponent and fixed labels on one axis", () => {
    for (const hi of [0.0006, 0.0012, 0.003, 2e6]) {
      const labels = tickLabels(linearTicks(0, hi)).filter((l) => l !== "0");
      const exp = labels.filter((l) => l.includes("e")).length;
      expect(exp === 0 || exp === labels.length, labels.join(" ")).toBe(true);
    }
    expect(tickLabels(linearTicks(0, 0.0006))).toEqual(["0", "2e-4", "4e-4", "6e-4"]);
    expect(niceStep(0.3)).toBe(0.5);
  });
});

describe("logTicks", () => {
  it("uses powers of ten over many decades and 1-2-5 over few", () => {
    expect(logTicks(0.003, 40).values).toEqual([0.001, 0.01, 0.1, 1, 10, 100]);
    expect(logTicks(0.3, 2.4).values).toEqual([0.2, 0.5, 1, 2, 5]);
    const narrow = logTicks(1.2, 1.8);
    expect(narrow.min).toBeLessThanOrEqual(1.2);
    expect(narrow.max).toBeGreaterThanOrEqual(1.8);
  });
  it("rejects ranges a log axis cannot show", () => {
    expect(() => logTicks(0, 1)).toThrow(/positive/);
  });
  it("maps log values evenly", () => {
    const f = makeScale({ min: 1, max: 100 }, 0, 200, true);
    expect(f(10)).toBeCloseTo(100);
    expect(formatTick(2e-5)).toBe("2e-5");
    expect(formatTick(0.5, 0.25)).toBe("0.50");
  });
});
