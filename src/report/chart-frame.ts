// The frame every chart shares: margins, title, legend, y axis with grid and labels, axis titles.
import { el, paletteColor, px, text, textWidth, type ChartSize } from "./svg.js";

export interface LegendEntry {
  label: string;
  color: string;
  /** How the swatch is drawn: a line segment for line series, a square for bars. */
  kind: "line" | "bar";
  /** Dashed line swatch, matching a dashed series. */
  dashed?: boolean;
}

export interface FrameSpec {
  size: ChartSize;
  title: string;
  xLabel?: string;
  yLabel?: string;
  legend: readonly LegendEntry[];
  /** The y tick labels, so the left margin fits the widest. */
  yTickLabels: readonly string[];
  /** Lines of x tick labels under the axis: 1 for numbers, more for wrapped category names. */
  xTickLines: number;
}

/** The data area in pixels. */
export interface PlotRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const FONT_SIZE = 12;
const TITLE_SIZE = 16;
const PAD = 12;
const LINE_GAP = 3;
const SWATCH = 22;

export interface FrameLayout {
  plot: PlotRect;
  /** Legend SVG, placed between the title and the plot. */
  legend: string;
}

/** Computes the plot rectangle so tick labels, axis titles and the (wrapped) legend all fit. */
export function frameLayout(spec: FrameSpec): FrameLayout {
  const { width, height } = spec.size;
  const tickW = Math.max(0, ...spec.yTickLabels.map((l) => textWidth(l, FONT_SIZE)));
  const left = PAD + (spec.yLabel ? FONT_SIZE + 10 : 0) + tickW + 8;
  // The last x tick label is centred on the right edge; keep room for half of it.
  const right = PAD + 20;
  const plotWidth = Math.max(10, width - left - right);

  // Legend: entries flow left to right from the plot's left edge, wrapping at its right edge.
  const rowH = FONT_SIZE + 8;
  let legendTop = PAD + TITLE_SIZE + 10;
  let x = 0;
  let row = 0;
  let legend = "";
  for (const e of spec.legend) {
    const w = SWATCH + 6 + textWidth(e.label, FONT_SIZE) + 18;
    if (x > 0 && x + w > plotWidth) {
      row += 1;
      x = 0;
    }
    const cx = left + x;
    const cy = legendTop + row * rowH + rowH / 2;
    legend +=
      e.kind === "line"
        ? el("line", { x1: cx, y1: cy, x2: cx + SWATCH, y2: cy, stroke: e.color, "stroke-width": 3, "stroke-dasharray": e.dashed ? "6 3" : undefined })
        : el("rect", { x: cx + SWATCH / 2 - 6, y: cy - 6, width: 12, height: 12, fill: e.color });
    legend += text(cx + SWATCH + 6, cy, e.label, { size: FONT_SIZE, baseline: "middle" });
    x += w;
  }
  const legendH = spec.legend.length ? (row + 1) * rowH + 6 : 0;
  if (!spec.legend.length) legendTop -= 4;

  const top = legendTop + legendH;
  const bottom = PAD + spec.xTickLines * (FONT_SIZE + LINE_GAP) + 8 + (spec.xLabel ? FONT_SIZE + 10 : 0);
  const plotHeight = Math.max(10, height - top - bottom);
  return { plot: { left, top, width: plotWidth, height: plotHeight }, legend };
}

export interface YTick {
  /** Pixel row of the tick. */
  y: number;
  label: string;
}

/** Title, legend, horizontal grid with y labels, axis lines and axis titles (data and x ticks drawn by the chart). */
export function frameSvg(spec: FrameSpec, layout: FrameLayout, yTicks: readonly YTick[]): string {
  const { plot } = layout;
  const { width } = spec.size;
  const right = plot.left + plot.width;
  const bottom = plot.top + plot.height;
  let s = text(width / 2, PAD + TITLE_SIZE, spec.title, { size: TITLE_SIZE, weight: "bold", anchor: "middle" });
  s += layout.legend;
  for (const t of yTicks) {
    s += el("line", { x1: plot.left, y1: t.y, x2: right, y2: t.y, stroke: "#e3e3e3", "stroke-width": 1 });
    s += text(plot.left - 8, t.y, t.label, { size: FONT_SIZE, anchor: "end", baseline: "middle", color: "#444" });
  }
  s += el("path", { d: `M${px(plot.left)} ${px(plot.top)}V${px(bottom)}H${px(right)}`, fill: "none", stroke: "#555", "stroke-width": 1 });
  if (spec.xLabel) {
    s += text(plot.left + plot.width / 2, spec.size.height - PAD, spec.xLabel, { size: FONT_SIZE, anchor: "middle" });
  }
  if (spec.yLabel) {
    const x = PAD + FONT_SIZE;
    s += text(x, plot.top + plot.height / 2, spec.yLabel, { size: FONT_SIZE, anchor: "middle", rotate: -90 });
  }
  return s;
}

/** One x tick: a short mark below the axis and its label (one or more lines) centred under it. */
export function xTickSvg(layout: FrameLayout, x: number, lines: readonly string[], mark = true): string {
  const bottom = layout.plot.top + layout.plot.height;
  let s = mark ? el("line", { x1: x, y1: bottom, x2: x, y2: bottom + 5, stroke: "#555", "stroke-width": 1 }) : "";
  lines.forEach((line, i) => {
    s += text(x, bottom + 8 + i * (FONT_SIZE + LINE_GAP), line, { size: FONT_SIZE, anchor: "middle", baseline: "hanging", color: "#444" });
  });
  return s;
}

/** Centred note in an empty plot, so a chart with no data says so instead of looking broken. */
export function emptyPlotSvg(layout: FrameLayout, message: string): string {
  const { plot } = layout;
  return text(plot.left + plot.width / 2, plot.top + plot.height / 2, message, { size: 14, anchor: "middle", baseline: "middle", color: "#888" });
}

/** A series' colour: its own if given, else the palette entry for its position. */
export function seriesColor(color: string | undefined, index: number): string {
  return color ?? paletteColor(index);
}
