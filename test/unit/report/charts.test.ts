// Line and bar charts: PNGs of the requested size that are not blank, and robustness to gaps and odd input.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { barChartSvg, renderBarChartPng } from "../../../src/report/bar-chart.js";
import { wilsonInterval } from "../../../src/report/intervals.js";
import { lineChartSvg, renderChartPng } from "../../../src/report/line-chart.js";

const dir = mkdtempSync(join(tmpdir(), "report-charts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Decoded size and the largest per-channel standard deviation (0 for a blank image). */
async function inspect(path: string) {
  const meta = await sharp(path).metadata();
  const stats = await sharp(path).stats();
  return { width: meta.width, height: meta.height, format: meta.format, spread: Math.max(...stats.channels.map((c) => c.stdev)) };
}

const steps = Array.from({ length: 200 }, (_, i) => i + 1);
const loss = steps.map((s) => 0.4 + 2 * Math.exp(-s / 40) + 0.05 * Math.sin(s));

describe("line chart", () => {
  it("writes a PNG of the requested size that is not blank", async () => {
    const path = join(dir, "nested", "loss.png");
    await renderChartPng({ title: "loss", xLabel: "step", yLabel: "loss", series: [{ name: "sft", x: steps, y: loss, smooth: "auto" }] }, path, { width: 640, height: 360 });
    const png = await inspect(path);
    expect(png).toMatchObject({ width: 640, height: 360, format: "png" });
    expect(png.spread).toBeGreaterThan(5);
  });
  it("skips NaN and missing points without crashing, on linear and log axes", async () => {
    const y = loss.map((v, i) => (i % 17 === 3 ? Number.NaN : i === 50 ? -1 : v));
    const series = [
      { name: "gappy", x: steps, y, smooth: 9 },
      { name: "all missing", y: [Number.NaN, Number.NaN] },
      { name: "one point", y: [Number.NaN, 1.5] },
      { name: "empty", y: [] },
    ];
    for (const logY of [false, true]) {
      const svg = lineChartSvg({ title: "gaps", series, logY });
      expect(svg).not.toMatch(/NaN|Infinity/);
      const path = join(dir, `gaps-${logY}.png`);
      await renderChartPng({ title: "gaps", series, logY }, path, { width: 320, height: 200 });
      expect((await inspect(path)).spread).toBeGreaterThan(5);
    }
  });
  it("draws an empty chart with a note when there is no data", () => {
    expect(lineChartSvg({ title: "nothing", series: [] })).toContain("no data");
    expect(lineChartSvg({ title: "nothing", series: [{ name: "x", y: [Number.NaN] }] })).toContain("no data");
  });
  it("escapes text and keeps a smooth series above its faint raw line", () => {
    const svg = lineChartSvg({ title: "a < b & c", series: [{ name: "r", y: loss, smooth: 5 }] });
    expect(svg).toContain("a &lt; b &amp; c");
    expect(svg).toContain("moving avg 5");
    expect(svg.indexOf('stroke-opacity="0.28"')).toBeLessThan(svg.indexOf('stroke-opacity="1"'));
  });
  it("explains mismatched lengths and bad sizes", () => {
    expect(() => lineChartSvg({ title: "t", series: [{ name: "s", x: [1, 2], y: [1] }] })).toThrow(/one x per y/);
    expect(() => lineChartSvg({ title: "t", series: [] }, { width: 10, height: 100 })).toThrow(/width/);
  });
  it("thins very long series", () => {
    const y = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 100));
    expect(lineChartSvg({ title: "long", series: [{ name: "s", y }] }).length).toBeLessThan(300_000);
  });
});

describe("bar chart", () => {
  const spec = {
    title: "success rate",
    yLabel: "rate",
    categories: ["LIBERO spatial suite with a long name", "object", "goal"],
    series: [
      { name: "before RL", values: [0.2, 0.5, null], errors: [wilsonInterval(0.2, 50), 0.1, null] },
      { name: "after RL", values: [0.35, Number.NaN, 0.9], errors: [wilsonInterval(0.35, 50), null, wilsonInterval(0.9, 50)] },
    ],
  };
  it("writes a PNG of the requested size that is not blank", async () => {
    const path = join(dir, "bars.png");
    await renderBarChartPng(spec, path, { width: 500, height: 300 });
    const png = await inspect(path);
    expect(png).toMatchObject({ width: 500, height: 300, format: "png" });
    expect(png.spread).toBeGreaterThan(5);
  });
  it("marks missing values and draws error bars", () => {
    const svg = barChartSvg(spec);
    expect(svg).toContain("n/a");
    expect(svg.match(/<rect /g)!.length).toBeGreaterThanOrEqual(4 + 2 + 1); // background + legend + bars
    expect(svg).not.toMatch(/NaN/);
  });
  it("handles negative values and explains a wrong number of values", () => {
    expect(barChartSvg({ title: "delta", categories: ["a", "b"], series: [{ name: "d", values: [-0.2, 0.3] }] })).toContain("-0.2");
    expect(() => barChartSvg({ title: "t", categories: ["a", "b"], series: [{ name: "s", values: [1] }] })).toThrow(/one per category/);
  });
});
