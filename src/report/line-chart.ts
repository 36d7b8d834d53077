// Line charts (SVG, and PNG through sharp): several series, optional moving-average smoothing over a
// faint raw curve, gaps at missing points, linear or log y.
import { emptyPlotSvg, frameLayout, frameSvg, seriesColor, xTickSvg, type FrameSpec, type LegendEntry } from "./chart-frame.js";
import { writeSvgPng } from "./png.js";
import { linearTicks, logTicks, makeScale, tickLabels, type AxisTicks } from "./scale.js";
import { autoWindow, movingAverage } from "./smoothing.js";
import { checkSize, DEFAULT_CHART_SIZE, el, px, svgDocument, type ChartSize } from "./svg.js";

export interface LineSeries {
  /** Legend label. */
  name: string;
  /** x of each point; default 0, 1, 2, … Must be as long as `y`. */
  x?: ArrayLike<number>;
  /** y of each point; NaN/±Infinity (and values ≤ 0 on a log axis) are missing points and break the line. */
  y: ArrayLike<number>;
  /** CSS colour; default the palette entry for the series' position. */
  color?: string;
  /**
   * Moving-average window in points, or "auto" (about 1/25 of the series). With a window above 1 the raw
   * curve is drawn faint and the centred moving average solid on top.
   */
  smooth?: number | "auto";
  dashed?: boolean;
  /** Dots at every point; default on for short unsmoothed series (≤ 40 points), where lines alone mislead. */
  markers?: boolean;
}

export interface LineChartSpec {
  title: string;
  xLabel?: string;
  yLabel?: string;
  series: readonly LineSeries[];
  /** Log-scale y axis; points with y ≤ 0 are then treated as missing. */
  logY?: boolean;
  /** Fixed lower end of the y axis (e.g. 0 for rates); default from the data. */
  yMin?: number;
  /** Fixed upper end of the y axis (e.g. 1 for rates); default from the data. */
  yMax?: number;
}

interface Prepared {
  label: string;
  color: string;
  xs: number[];
  raw: number[];
  /** The moving average, when the series is smoothed. */
  smooth?: number[];
  dashed: boolean;
  markers: boolean;
}

function prepare(s: LineSeries, index: number, logY: boolean): Prepared {
  const n = s.y.length;
  if (s.x && s.x.length !== n) {
    throw new RangeError(`line series "${s.name}": x has ${s.x.length} values but y has ${n}; give exactly one x per y`);
  }
  const xs: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = s.x ? s.x[i] : i;
    const y = s.y[i];
    xs.push(Number.isFinite(x) ? x : Number.NaN);
    raw.push(Number.isFinite(y) && Number.isFinite(x) && (!logY || y > 0) ? y : Number.NaN);
  }
  const window = s.smooth === "auto" ? autoWindow(raw.filter(Number.isFinite).length) : Math.floor(s.smooth ?? 1);
  const smoothed = window > 1;
  return {
    label: smoothed ? `${s.name} (moving avg ${window})` : s.name,
    color: seriesColor(s.color, index),
    xs,
    raw,
    smooth: smoothed ? movingAverage(raw, window) : undefined,
    dashed: s.dashed ?? false,
    markers: s.markers ?? (!smoothed && raw.filter(Number.isFinite).length <= 40),
  };
}

/** Runs of consecutive drawable points; a missing point ends a run, so the line shows the gap. */
function segments(xs: readonly number[], ys: readonly number[]): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  let cur: Array<[number, number]> = [];
  for (let i = 0; i < ys.length; i++) {
    if (Number.isFinite(ys[i]) && Number.isFinite(xs[i])) {
      cur.push([xs[i], ys[i]]);
    } else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Keeps the first, lowest, highest and last point of every pixel column: long runs (100k steps)
 * then draw as fast as short ones and spikes stay visible.
 */
function decimate(pts: Array<[number, number]>, toPx: (x: number) => number, limit: number): Array<[number, number]> {
  if (pts.length <= limit) return pts;
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < pts.length) {
    const col = Math.floor(toPx(pts[i][0]));
    let j = i;
    let lo = i;
    let hi = i;
    while (j + 1 < pts.length && Math.floor(toPx(pts[j + 1][0])) === col) {
      j++;
      if (pts[j][1] < pts[lo][1]) lo = j;
      if (pts[j][1] > pts[hi][1]) hi = j;
    }
    for (const k of [...new Set([i, lo, hi, j])].sort((a, b) => a - b)) out.push(pts[k]);
    i = j + 1;
  }
  return out;
}

function extent(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

function yAxis(spec: LineChartSpec, series: readonly Prepared[]): AxisTicks {
  const logY = spec.logY ?? false;
  const data = extent(series.flatMap((s) => s.raw));
  let lo = spec.yMin ?? data?.[0] ?? (logY ? 0.1 : 0);
  let hi = spec.yMax ?? data?.[1] ?? (logY ? 1 : 1);
  if (lo > hi) [lo, hi] = [hi, lo];
  if (logY && !(lo > 0)) {
    throw new RangeError(`line chart "${spec.title}": log y axis needs yMin > 0, got ${lo}; drop yMin or use a linear axis`);
  }
  const t = logY ? logTicks(lo, hi) : linearTicks(lo, hi);
  if (spec.yMin === undefined && spec.yMax === undefined) return t;
  // A fixed end is the axis end exactly; ticks outside it are dropped.
  const min = spec.yMin ?? t.min;
  const max = spec.yMax ?? t.max;
  return { ...t, min, max, values: t.values.filter((v) => v >= min - 1e-12 && v <= max + 1e-12) };
}

function pathData(pts: Array<[number, number]>, fx: (v: number) => number, fy: (v: number) => number): string {
  return pts.map(([x, y], i) => `${i ? "L" : "M"}${px(fx(x))} ${px(fy(y))}`).join("");
}

/** The chart as a standalone SVG document. */
export function lineChartSvg(spec: LineChartSpec, size: ChartSize = DEFAULT_CHART_SIZE): string {
  checkSize(size);
  const logY = spec.logY ?? false;
  const series = spec.series.map((s, i) => prepare(s, i, logY));
  const xData = extent(series.flatMap((s) => s.xs.filter((_, i) => Number.isFinite(s.raw[i]))));
  const xt = linearTicks(xData?.[0] ?? 0, xData?.[1] ?? 1, 6);
  const yt = yAxis(spec, series);
  const yLabels = tickLabels(yt);

  const legend: LegendEntry[] = series.map((s) => ({ label: s.label, color: s.color, kind: "line", dashed: s.dashed }));
  const frame: FrameSpec = { size, title: spec.title, xLabel: spec.xLabel, yLabel: spec.yLabel, legend, yTickLabels: yLabels, xTickLines: 1 };
  const layout = frameLayout(frame);
  const { plot } = layout;
  const fx = makeScale(xt, plot.left, plot.left + plot.width);
  const fy = makeScale(yt, plot.top + plot.height, plot.top, logY);

  let body = frameSvg(frame, layout, yt.values.map((v, i) => ({ y: fy(v), label: yLabels[i] })));
  const xLabels = tickLabels(xt);
  xt.values.forEach((v, i) => (body += xTickSvg(layout, fx(v), [xLabels[i]])));
  if (!xData) return svgDocument(size, body + emptyPlotSvg(layout, "no data"));

  // Fixed y ends can cut through the data; clip to the plot instead of drawing over the margins. The
  // clip reaches a marker radius past the plot so points on its edge stay whole.
  const m = 4;
  body += `<defs><clipPath id="plot-area">${el("rect", { x: plot.left - m, y: plot.top - m, width: plot.width + 2 * m, height: plot.height + 2 * m })}</clipPath></defs>`;
  const limit = Math.ceil(plot.width) * 4;
  const line = (pts: Array<[number, number]>, color: string, width: number, opacity: number, dashed: boolean) =>
    pts.length === 1
      ? el("circle", { cx: fx(pts[0][0]), cy: fy(pts[0][1]), r: width + 1, fill: color, "fill-opacity": opacity })
      : el("path", {
          d: pathData(decimate(pts, fx, limit), fx, fy),
          fill: "none",
          stroke: color,
          "stroke-width": width,
          "stroke-opacity": opacity,
          "stroke-linejoin": "round",
          "stroke-dasharray": dashed ? "6 4" : undefined,
        });
  let marks = "";
  // Faint raw curves first, so no series' noise covers another's smooth line.
  for (const s of series) {
    if (s.smooth) for (const seg of segments(s.xs, s.raw)) marks += line(seg, s.color, 1, 0.28, false);
  }
  for (const s of series) {
    for (const seg of segments(s.xs, s.smooth ?? s.raw)) {
      // A lone point is drawn as a dot by `line`; with markers on, the marker below already is one.
      if (seg.length > 1 || !s.markers) marks += line(seg, s.color, 2, 1, s.dashed);
    }
    if (s.markers) {
      for (const seg of segments(s.xs, s.raw)) for (const [x, y] of seg) marks += el("circle", { cx: fx(x), cy: fy(y), r: 3, fill: s.color });
    }
  }
  body += el("g", { "clip-path": "url(#plot-area)" }, marks);
  return svgDocument(size, body);
}

/** Renders the chart to a PNG file of exactly `size` pixels (parent folders are created). */
export async function renderChartPng(spec: LineChartSpec, path: string, size: ChartSize = DEFAULT_CHART_SIZE): Promise<void> {
  await writeSvgPng(lineChartSvg(spec, size), path, size);
}
