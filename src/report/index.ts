// Public surface of the reporting layer: charts (SVG/PNG), metrics.jsonl reading, Markdown helpers and
// the pipeline report.
export * from "./scale.js";
export { DEFAULT_CHART_SIZE, FONT_FAMILY, PALETTE, type ChartSize } from "./svg.js";
export { writeSvgPng } from "./png.js";
export * from "./smoothing.js";
export * from "./intervals.js";
export * from "./number-format.js";
export * from "./line-chart.js";
export * from "./bar-chart.js";
export * from "./metrics-log.js";
export * from "./markdown.js";
export * from "./pipeline-summary.js";
export * from "./pipeline-figures.js";
export * from "./pipeline-report.js";
