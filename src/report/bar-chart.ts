// Grouped bar charts with error bars (SVG, and PNG through sharp): one group per category, one bar per
// series, e.g. before/after RL per metric, or success rate with confidence intervals per backbone/suite.
import { emptyPlotSvg, FONT_SIZE, frameLayout, frameSvg, seriesColor, xTickSvg, type FrameSpec, type LegendEntry } from "./chart-frame.js";
import type { Interval } from "./intervals.js";
import { formatNumber } from "./number-format.js";
import { writeSvgPng } from "./png.js";
import { linearTicks, makeScale, tickLabels } from "./scale.js";
import { checkSize, DEFAULT_CHART_SIZE, el, px, svgDocument, text, wrapText, type ChartSize } from "./svg.js";

/** Error bar: a half-width (value ± e), or the interval's absolute ends (asymmetric, e.g. Wilson). */
export type ErrorBar = number | Interval;

export interface BarSeries {
  /** Legend label, e.g. "before RL". */
  name: string;
  /** One value per category; null/undefined/NaN is no bar (drawn as "n/a"). */
  values: ReadonlyArray<number | null | undefined>;
  /** One error bar per category, or none. */
  errors?: ReadonlyArray<ErrorBar | null | undefined>;
  color?: string;
}

export interface BarChartSpec {
  title: string;
  xLabel?: string;
  yLabel?: string;
  /** Group labels along x (long names wrap). */
  categories: readonly string[];
  series: readonly BarSeries[];
  /** Fixed y axis ends (e.g. 0 and 1 for rates); default from values and error bars, always including 0. */
  yMin?: number;
  yMax?: number;
  /** Print each bar's value above it; default true. */
  valueLabels?: boolean;
  /** Significant digits of the value labels; default 2. */
  valueDigits?: number;
}

function present(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** The error bar's ends, or undefined when there is none or it is not finite. */
function errorEnds(value: number, e: ErrorBar | null | undefined): Interval | undefined {
  if (e === null || e === undefined) return undefined;
  const iv = typeof e === "number" ? { low: value - Math.abs(e), high: value + Math.abs(e) } : e;
  return Number.isFinite(iv.low) && Number.isFinite(iv.high) ? iv : undefined;
}

/** The chart as a standalone SVG document. */
export function barChartSvg(spec: BarChartSpec, size: ChartSize = DEFAULT_CHART_SIZE): string {
  checkSize(size);
  const nCat = spec.categories.length;
  for (const s of spec.series) {
    if (s.values.length !== nCat || (s.errors && s.errors.length !== nCat)) {
      throw new RangeError(
        `bar series "${s.name}" has ${s.values.length} values and ${s.errors?.length ?? "no"} errors for ${nCat} categories; give one per category (null for none)`,
      );
    }
  }
  const showValues = spec.valueLabels ?? true;
  const digits = spec.valueDigits ?? 2;

  // Bars grow from 0, so 0 is always on the axis; error bars must fit too.
  let lo = 0;
  let hi = 0;
  let any = false;
  for (const s of spec.series) {
    s.values.forEach((v, c) => {
      if (!present(v)) return;
      any = true;
      const iv = errorEnds(v, s.errors?.[c]);
      lo = Math.min(lo, v, iv?.low ?? v);
      hi = Math.max(hi, v, iv?.high ?? v);
    });
  }
  if (!any) hi = 1;
  // Headroom so value labels above the tallest bar stay inside the plot.
  if (showValues && spec.yMax === undefined) hi += (hi - lo) * 0.08;
  let t = linearTicks(spec.yMin ?? lo, spec.yMax ?? hi);
  if (spec.yMin !== undefined || spec.yMax !== undefined) {
    const min = spec.yMin ?? t.min;
    const max = spec.yMax ?? t.max;
    t = { ...t, min, max, values: t.values.filter((v) => v >= min - 1e-12 && v <= max + 1e-12) };
  }
  const yLabels = tickLabels(t);

  const legend: LegendEntry[] = spec.series.map((s, i) => ({ label: s.name, color: seriesColor(s.color, i), kind: "bar" }));
  // Category labels wrap to their band; the frame needs the line count before it knows the band width,
  // so wrap against an estimate of the plot width and re-wrap once the layout is known.
  const estBand = (size.width * 0.85) / Math.max(1, nCat);
  const estLines = Math.max(1, ...spec.categories.map((c) => wrapText(c, estBand - 8, FONT_SIZE).length));
  const frame: FrameSpec = { size, title: spec.title, xLabel: spec.xLabel, yLabel: spec.yLabel, legend, yTickLabels: yLabels, xTickLines: estLines };
  const layout = frameLayout(frame);
  const { plot } = layout;
  const fy = makeScale(t, plot.top + plot.height, plot.top);
  let body = frameSvg(frame, layout, t.values.map((v, i) => ({ y: fy(v), label: yLabels[i] })));
  if (!nCat || !spec.series.length) return svgDocument(size, body + emptyPlotSvg(layout, "no data"));

  const band = plot.width / nCat;
  const group = band * 0.78;
  const slot = group / spec.series.length;
  const barW = slot * 0.86;
  const zero = fy(Math.min(Math.max(0, t.min), t.max));
  let marks = "";
  spec.categories.forEach((cat, c) => {
    const cx = plot.left + band * (c + 0.5);
    body += xTickSvg(layout, cx, wrapText(cat, band - 8, FONT_SIZE).slice(0, estLines), false);
    spec.series.forEach((s, i) => {
      const x = cx - group / 2 + slot * i + (slot - barW) / 2;
      const mid = x + barW / 2;
      const v = s.values[c];
      if (!present(v)) {
        marks += text(mid, zero - 4, "n/a", { size: 10, anchor: "middle", color: "#888" });
        return;
      }
      const y = fy(v);
      marks += el("rect", { x, y: Math.min(y, zero), width: barW, height: Math.max(Math.abs(zero - y), 0.5), fill: seriesColor(s.color, i) });
      const iv = errorEnds(v, s.errors?.[c]);
      let top = Math.min(y, zero);
      let bottom = Math.max(y, zero);
      if (iv) {
        const [y0, y1] = [fy(iv.low), fy(iv.high)];
        const cap = Math.min(barW * 0.35, 10);
        marks += el("path", {
          d: `M${px(mid)} ${px(y0)}V${px(y1)}M${px(mid - cap)} ${px(y0)}H${px(mid + cap)}M${px(mid - cap)} ${px(y1)}H${px(mid + cap)}`,
          stroke: "#222",
          "stroke-width": 1.5,
          fill: "none",
        });
        top = Math.min(top, y0, y1);
        bottom = Math.max(bottom, y0, y1);
      }
      if (showValues) {
        const label = formatNumber(v, digits);
        marks += v >= 0 ? text(mid, top - 4, label, { size: 11, anchor: "middle" }) : text(mid, bottom + 4, label, { size: 11, anchor: "middle", baseline: "hanging" });
      }
    });
  });
  body += el("line", { x1: plot.left, y1: zero, x2: plot.left + plot.width, y2: zero, stroke: "#555", "stroke-width": 1 });
  body += marks;
  return svgDocument(size, body);
}

/** Renders the chart to a PNG file of exactly `size` pixels (parent folders are created). */
export async function renderBarChartPng(spec: BarChartSpec, path: string, size: ChartSize = DEFAULT_CHART_SIZE): Promise<void> {
  await writeSvgPng(barChartSvg(spec, size), path, size);
}
