// The pipeline report: report.md plus PNG figures in a run directory, from the run's summary and its
// metrics.jsonl files. Optional parts of the summary and metrics that are absent are left out.
import { mkdir, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { renderBarChartPng } from "./bar-chart.js";
import { renderChartPng } from "./line-chart.js";
import { bulletList, heading, imageLink, inlineCode, markdownTable, type Cell } from "./markdown.js";
import { describeMalformed, readMetricsLog, type MetricsLog, type MetricsRecord } from "./metrics-log.js";
import { formatDelta, formatDuration, formatNumber, formatPercent } from "./number-format.js";
import { DEFAULT_STAGE_NAMES, pipelineFigures, type FigureSection, type PipelineFigure, type StageNames } from "./pipeline-figures.js";
import { parsePipelineSummary, type HeldoutScores, type PipelineSummary } from "./pipeline-summary.js";
import { DEFAULT_CHART_SIZE, type ChartSize } from "./svg.js";

export interface PipelineReportOptions {
  /** Figure size in pixels; default 900×480. */
  size?: ChartSize;
  /** Folder for the PNGs, relative to the run directory; default "figures". */
  figuresDir?: string;
  /** Report title; default "RoboAlign pipeline report". */
  title?: string;
  /** `stage` values of the metrics records, if the pipeline names them differently. */
  stageNames?: Partial<StageNames>;
}

export interface PipelineReportResult {
  /** Absolute path of report.md. */
  reportPath: string;
  /** Absolute paths of the PNGs written, in report order. */
  figures: string[];
  /** Problems that did not stop the report (missing metrics files, malformed lines); also listed in it. */
  warnings: string[];
}

/** A path as the report shows it: relative to the run directory when inside it, with forward slashes. */
function shown(runDir: string, path: string): string {
  const r = relative(runDir, path);
  const p = r && !r.startsWith("..") && !isAbsolute(r) ? r : path;
  return p.split(sep).join("/");
}

interface LoadedMetrics {
  logs: Array<{ path: string; log?: MetricsLog }>;
  records: MetricsRecord[];
  warnings: string[];
}

/** Reads every metrics file; an unreadable one becomes a warning so the rest of the report still appears. */
async function loadMetrics(paths: readonly string[]): Promise<LoadedMetrics> {
  const out: LoadedMetrics = { logs: [], records: [], warnings: [] };
  for (const path of paths) {
    try {
      const log = await readMetricsLog(path);
      out.logs.push({ path, log });
      out.records.push(...log.records);
      const bad = describeMalformed(log);
      if (bad) out.warnings.push(bad);
    } catch (e) {
      out.logs.push({ path });
      out.warnings.push((e as Error).message);
    }
  }
  return out;
}

function summaryBullets(s: PipelineSummary): string[] {
  const h = s.heldout;
  const path = (f: (x: HeldoutScores) => number, fmt: (v: number) => string) =>
    [`${fmt(f(h.before))} before training`, h.afterSft ? `${fmt(f(h.afterSft))} after SFT` : undefined, `${fmt(f(h.afterRl))} after RL`]
      .filter(Boolean)
      .join(" → ");
  const total = s.stages.reduce((a, st) => a + st.seconds, 0);
  const out = [
    `Held-out FAST prefix accuracy (${h.prompts} prompts): ${path((x) => x.fastAccuracy, formatPercent)}.`,
    `Held-out reward: ${path((x) => x.reward, (v) => formatNumber(v))}.`,
    `SFT loss: ${formatNumber(s.sft.firstLoss)} → ${formatNumber(s.sft.lastLoss)} over ${s.sft.steps} steps.`,
  ];
  if (s.grpo) out.push(`GRPO mean reward: ${formatNumber(s.grpo.firstRewardMean)} → ${formatNumber(s.grpo.lastRewardMean)} over ${s.grpo.steps} steps.`);
  if (s.vla) {
    const avg = s.vla.backbones.map((b) => `${b.name} ${formatPercent(b.rates.find((r) => r.suite === "average")?.rate ?? Number.NaN)}`);
    out.push(`VLA closed-loop success (average over suites): ${avg.join(", ")}.`);
  }
  if (s.stages.length) out.push(`Total wall time: ${formatDuration(total)}.`);
  return out;
}

function heldoutTable(s: PipelineSummary): string {
  const h = s.heldout;
  const row = (name: string, x: HeldoutScores): Cell[] => [name, formatPercent(x.fastAccuracy), formatPercent(x.format), x.reward];
  const rows: Cell[][] = [row("before training", h.before)];
  if (h.afterSft) rows.push(row("after SFT (RL start)", h.afterSft));
  rows.push(row("after RL", h.afterRl));
  // What RL itself changed: against the checkpoint RL started from.
  const start = h.afterSft ?? h.before;
  const pts = (d: number) => `${d > 0 ? "+" : ""}${(d * 100).toFixed(1)} pt`;
  rows.push([
    "change from RL",
    pts(h.afterRl.fastAccuracy - start.fastAccuracy),
    pts(h.afterRl.format - start.format),
    formatDelta(h.afterRl.reward - start.reward),
  ]);
  const cols = [
    "Checkpoint",
    { header: "FAST prefix accuracy", align: "right" as const },
    { header: "Format", align: "right" as const },
    { header: "Reward", align: "right" as const },
  ];
  return markdownTable(cols, rows);
}

function lossTable(s: PipelineSummary): string {
  const rows: Cell[][] = [];
  if (s.base) rows.push(["base", s.base.steps, s.base.firstLoss, s.base.lastLoss]);
  rows.push(["SFT", s.sft.steps, s.sft.firstLoss, s.sft.lastLoss]);
  return markdownTable(["Stage", "Steps", "First loss", "Last loss"], rows);
}

function grpoTable(s: NonNullable<PipelineSummary["grpo"]>): string {
  const cols = ["Steps", "First mean reward", "Last mean reward"];
  const row: Cell[] = [s.steps, s.firstRewardMean, s.lastRewardMean];
  if (s.groupSize !== undefined) {
    cols.push("Group size");
    row.push(s.groupSize);
  }
  if (s.promptsPerStep !== undefined) {
    cols.push("Prompts per step");
    row.push(s.promptsPerStep);
  }
  return markdownTable(cols, [row]);
}

/** Table 2 of the paper in miniature: rows = backbones, columns = suites, success % [95% CI] (episodes). */
function vlaTable(v: NonNullable<PipelineSummary["vla"]>): string {
  const suites = v.backbones[0]?.rates.map((r) => r.suite) ?? [];
  const rows: Cell[][] = v.backbones.map((b) => [
    b.name,
    ...suites.map((name) => {
      const r = b.rates.find((x) => x.suite === name);
      return r ? `${formatPercent(r.rate)} [${formatPercent(r.ciLow)}, ${formatPercent(r.ciHigh)}] (${r.trials})` : "—";
    }),
    b.heldoutLoss,
    b.heldoutActionMse,
  ]);
  const right = "right" as const;
  return markdownTable(
    ["Backbone", ...suites.map((x) => ({ header: x === "average" ? "Average" : x, align: right })), { header: "Held-out flow loss", align: right }, { header: "Held-out action MSE", align: right }],
    rows,
  );
}

function vlaBlock(runDir: string, v: NonNullable<PipelineSummary["vla"]>): string[] {
  const protocol =
    `One newly initialised flow-matching action head per backbone, trained ${v.steps} steps on the frozen backbone's layer-${v.backbones[0]?.layer ?? "?"} states; ` +
    `closed-loop evaluation in the embedded world on ${v.trialsPerTask} initial state(s) per task starting at index ${v.firstInitialState} (never recorded for training), ` +
    `at most ${v.maxSteps} steps per episode, ${v.executeSteps} of each ${v.horizon}-action chunk executed, ${v.denoisingSteps} denoising steps. ` +
    "Cells: success % [95% Wilson interval] (episodes). The held-out columns score the heads on the held-out episodes' frames: flow-matching loss at fixed noise, and the mean squared error of sampled action chunks against the expert's (normalised units); lower is better: a graded measure beside the binary success rate.";
  const chart = join(runDir, v.reportDir, "success.png");
  return [protocol, vlaTable(v), imageLink("VLA success per suite and backbone", shown(runDir, chart)), `Per-task tables and episode media: ${inlineCode(`${v.reportDir}/report.md`)}.`];
}

function wallTimeTable(s: PipelineSummary): string {
  const total = s.stages.reduce((a, st) => a + st.seconds, 0);
  const share = (v: number) => (total > 0 ? formatPercent(v / total) : "—");
  const rows: Cell[][] = s.stages.map((st) => [inlineCode(st.name), formatDuration(st.seconds), st.seconds, share(st.seconds)]);
  rows.push(["**total**", `**${formatDuration(total)}**`, total, share(total)]);
  const right = "right" as const;
  return markdownTable(["Stage", { header: "Wall time", align: right }, { header: "Seconds", align: right, digits: 4 }, { header: "Share", align: right }], rows);
}

function metricsTable(runDir: string, loaded: LoadedMetrics): string {
  const rows: Cell[][] = loaded.logs.map(({ path, log }) =>
    log ? [inlineCode(shown(runDir, path)), log.records.length, log.blank, log.malformed.length] : [inlineCode(shown(runDir, path)), "missing", null, null],
  );
  return markdownTable(["File", { header: "Records", align: "right" }, { header: "Blank lines", align: "right" }, { header: "Malformed lines", align: "right" }], rows);
}

function figureBlock(runDir: string, figuresDir: string, f: PipelineFigure): string {
  return `${imageLink(f.title, shown(runDir, join(figuresDir, f.file)))}\n\n${f.caption}`;
}

/** report.md text for a summary, its loaded metrics and the figures already drawn. */
function reportMarkdown(runDir: string, figuresDir: string, title: string, s: PipelineSummary, loaded: LoadedMetrics, figures: PipelineFigure[]): string {
  const parts: string[] = [heading(1, title)];
  const meta = [`Preset ${inlineCode(s.preset)}`];
  if (s.backbone) meta.push(`backbone ${inlineCode(s.backbone)}`);
  if (s.seed !== undefined) meta.push(`seed ${s.seed}`);
  if (s.finishedAt) meta.push(`finished ${s.finishedAt}`);
  parts.push(`${meta.join(" · ")}.`);
  parts.push(heading(2, "Summary"), bulletList(summaryBullets(s)));

  const section = (name: FigureSection) => figures.filter((f) => f.section === name).map((f) => figureBlock(runDir, figuresDir, f));
  parts.push(heading(2, "Held-out evaluation"), heldoutTable(s), ...section("heldout"));
  parts.push(heading(2, "Supervised fine-tuning"), lossTable(s), ...section("sft"));
  const grpo = section("grpo");
  if (s.grpo || grpo.length) {
    parts.push(heading(2, "GRPO"));
    if (s.grpo) parts.push(grpoTable(s.grpo));
    parts.push(...grpo);
  }
  if (s.vla) parts.push(heading(2, "VLA: action expert on each backbone"), ...vlaBlock(runDir, s.vla));
  if (s.stages.length) parts.push(heading(2, "Wall time"), wallTimeTable(s));
  if (loaded.logs.length) {
    parts.push(heading(2, "Metrics files"), metricsTable(runDir, loaded));
    if (loaded.warnings.length) parts.push(bulletList(loaded.warnings));
  }
  if (s.notes?.length) parts.push(heading(2, "Notes"), bulletList(s.notes));
  return `${parts.join("\n\n")}\n`;
}

/**
 * Writes `runDir/report.md` and its PNG figures (in `runDir/figures/` by default). The summary is checked
 * first (a wrong one throws PipelineSummaryError naming each bad field); missing or damaged metrics files
 * only drop the figures they would have fed and are listed as warnings.
 */
export async function writePipelineReport(
  runDir: string,
  summary: PipelineSummary,
  metricsPaths: readonly string[],
  options: PipelineReportOptions = {},
): Promise<PipelineReportResult> {
  const s = parsePipelineSummary(summary);
  runDir = resolve(runDir);
  const size = options.size ?? DEFAULT_CHART_SIZE;
  const figuresDir = join(runDir, options.figuresDir ?? "figures");
  const stages = { ...DEFAULT_STAGE_NAMES, ...options.stageNames };
  const loaded = await loadMetrics(metricsPaths);

  await mkdir(figuresDir, { recursive: true });
  const figures = pipelineFigures(s, loaded.records, stages);
  const written: string[] = [];
  for (const f of figures) {
    const path = join(figuresDir, f.file);
    if (f.chart.kind === "line") await renderChartPng(f.chart.spec, path, size);
    else await renderBarChartPng(f.chart.spec, path, size);
    written.push(path);
  }
  const reportPath = join(runDir, "report.md");
  await writeFile(reportPath, reportMarkdown(runDir, figuresDir, options.title ?? "RoboAlign pipeline report", s, loaded, figures));
  return { reportPath, figures: written, warnings: loaded.warnings };
}
