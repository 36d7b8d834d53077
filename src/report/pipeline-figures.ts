// The figures of the pipeline report: which charts the metrics and the summary support, each with the
// sentence that says what its numbers mean. Charts without data are left out, never drawn empty.
import type { BarChartSpec, BarSeries, ErrorBar } from "./bar-chart.js";
import { wilsonInterval, Z95 } from "./intervals.js";
import type { LineChartSpec, LineSeries } from "./line-chart.js";
import { selectSeries, type MetricsRecord } from "./metrics-log.js";
import { formatNumber } from "./number-format.js";
import type { HeldoutScores, PipelineSummary } from "./pipeline-summary.js";

/** The `stage` values of the metrics records, when a pipeline names its stages differently. */
export interface StageNames {
  sft: string;
  base: string;
  grpo: string;
  /** Held-out evaluations during GRPO (records with heldoutReward/heldoutFormat/heldoutAccuracy). */
  grpoEval: string;
}

export const DEFAULT_STAGE_NAMES: StageNames = { sft: "sft", base: "base", grpo: "grpo", grpoEval: "grpo-eval" };

/** Report section a figure belongs to. */
export type FigureSection = "heldout" | "sft" | "grpo";

export interface PipelineFigure {
  section: FigureSection;
  /** File name inside the figures folder. */
  file: string;
  /** Alt text / heading of the figure. */
  title: string;
  /** What the numbers mean, in a sentence or two. */
  caption: string;
  chart: { kind: "line"; spec: LineChartSpec } | { kind: "bar"; spec: BarChartSpec };
}

/** Smoothing only helps once there are enough steps for noise to hide the trend. */
function smoothFor(points: number): "auto" | undefined {
  return points > 50 ? "auto" : undefined;
}

function finiteCount(y: readonly number[]): number {
  return y.filter(Number.isFinite).length;
}

function lossFigure(records: readonly MetricsRecord[], summary: PipelineSummary, stages: StageNames): PipelineFigure | undefined {
  const sft = selectSeries(records, { stage: stages.sft, key: "loss" });
  const base = selectSeries(records, { stage: stages.base, key: "loss" });
  const series: LineSeries[] = [];
  if (finiteCount(base.y)) series.push({ name: "base stage", ...base, smooth: smoothFor(base.y.length), color: "#9c755f" });
  if (finiteCount(sft.y)) series.push({ name: "SFT", ...sft, smooth: smoothFor(sft.y.length), color: "#4e79a7" });
  if (!series.length) return undefined;
  const values = series.flatMap((s) => Array.from(s.y)).filter(Number.isFinite);
  // Losses fall fast early and slowly later; a log axis keeps both phases readable once they span 5×.
  const logY = values.length > 1 && values.every((v) => v > 0) && values.reduce((a, b) => Math.max(a, b)) / values.reduce((a, b) => Math.min(a, b)) >= 5;
  const trend = (name: string, s: { firstLoss: number; lastLoss: number; steps: number }) =>
    `${name} went from ${formatNumber(s.firstLoss)} to ${formatNumber(s.lastLoss)} over ${s.steps} steps`;
  const trends = [summary.base && finiteCount(base.y) ? trend("the base stage", summary.base) : undefined, trend("SFT", summary.sft)].filter(Boolean);
  return {
    section: "sft",
    file: "sft-loss.png",
    title: "Training loss",
    caption:
      `Mean token cross-entropy (nats) of each training batch per optimizer step${series.some((s) => s.smooth) ? "; faint: raw, solid: moving average" : ""}${logY ? ", log scale" : ""}. ` +
      `Lower means the model predicts the target FAST action tokens better; ${trends.join(", and ")}.`,
    chart: { kind: "line", spec: { title: "Training loss", xLabel: "optimizer step", yLabel: "loss", logY, series } },
  };
}

function rewardFigure(records: readonly MetricsRecord[], summary: PipelineSummary, stages: StageNames): PipelineFigure | undefined {
  const parts: Array<[string, string, string, boolean]> = [
    ["rewardMean", "reward (mean)", "#e15759", false],
    ["format", "format part", "#76b7b2", true],
    ["accuracy", "accuracy part", "#59a14f", true],
  ];
  const series: LineSeries[] = [];
  for (const [key, name, color, dashed] of parts) {
    const s = selectSeries(records, { stage: stages.grpo, key });
    if (finiteCount(s.y)) series.push({ name, ...s, color, dashed, smooth: smoothFor(s.y.length) });
  }
  if (!series.length) return undefined;
  const trend = summary.grpo
    ? ` Mean reward went from ${formatNumber(summary.grpo.firstRewardMean)} to ${formatNumber(summary.grpo.lastRewardMean)} over ${summary.grpo.steps} steps.`
    : "";
  return {
    section: "grpo",
    file: "grpo-reward.png",
    title: "GRPO reward",
    caption:
      "Mean reward of the completions sampled at each GRPO step, with its two parts: format (share of completions in the required `<think>…</think><answer>…</answer>` shape) " +
      "and accuracy (FAST prefix accuracy: share of the reference action tokens reproduced before the first wrong one); reward = their mean. A reward that keeps rising once format is near its ceiling means the policy is improving its actions, not only its output format." +
      trend,
    chart: { kind: "line", spec: { title: "GRPO reward", xLabel: "GRPO step", yLabel: "reward", series } },
  };
}

function simpleGrpoFigure(
  records: readonly MetricsRecord[],
  stages: StageNames,
  keys: readonly string[],
  file: string,
  title: string,
  yLabel: string,
  caption: string,
): PipelineFigure | undefined {
  // The first key the metrics have: trainers name some metrics differently (kl vs klLoss).
  const s = keys.map((key) => selectSeries(records, { stage: stages.grpo, key })).find((c) => finiteCount(c.y));
  if (!s) return undefined;
  return {
    section: "grpo",
    file,
    title,
    caption,
    chart: { kind: "line", spec: { title, xLabel: "GRPO step", yLabel, series: [{ name: yLabel, ...s, color: "#b07aa1", smooth: smoothFor(s.y.length) }] } },
  };
}

/** Held-out scores at the GRPO evaluations (before, every evalEvery steps, after), when there are at least two. */
function heldoutDuringGrpoFigure(records: readonly MetricsRecord[], stages: StageNames): PipelineFigure | undefined {
  const parts: Array<[string, string, string, boolean]> = [
    ["heldoutReward", "reward", "#e15759", false],
    ["heldoutFormat", "format", "#76b7b2", true],
    ["heldoutAccuracy", "FAST prefix accuracy", "#59a14f", true],
  ];
  const series: LineSeries[] = [];
  for (const [key, name, color, dashed] of parts) {
    const s = selectSeries(records, { stage: stages.grpoEval, key });
    if (finiteCount(s.y) >= 2) series.push({ name, ...s, color, dashed, markers: true });
  }
  if (!series.length) return undefined;
  return {
    section: "grpo",
    file: "grpo-heldout.png",
    title: "Held-out scores during GRPO",
    caption:
      "Greedy-decoding reward, format rate and FAST prefix accuracy on the held-out prompts at each GRPO evaluation (step 0 is the RL start). " +
      "These prompts are never trained on: a held-out reward that stalls while the training reward above keeps rising means RL is fitting the training prompts, not the task.",
    chart: { kind: "line", spec: { title: "Held-out scores during GRPO", xLabel: "GRPO step", yLabel: "score", series } },
  };
}

/** Error bars: ±1.96 standard errors for the means (when reported), Wilson over the prompt count for the format rate. */
function heldoutSeries(name: string, s: HeldoutScores, prompts: number, color: string): BarSeries {
  const mean = (sem: number | undefined): ErrorBar | undefined => (sem === undefined ? undefined : Z95 * sem);
  return {
    name,
    color,
    values: [s.fastAccuracy, s.format, s.reward],
    errors: [mean(s.fastAccuracySem), prompts > 0 ? wilsonInterval(s.format, prompts) : undefined, mean(s.rewardSem)],
  };
}

function heldoutFigure(summary: PipelineSummary): PipelineFigure {
  const h = summary.heldout;
  const series = [heldoutSeries("before training", h.before, h.prompts, "#bab0ac")];
  if (h.afterSft) series.push(heldoutSeries("after SFT (RL start)", h.afterSft, h.prompts, "#4e79a7"));
  series.push(heldoutSeries("after RL", h.afterRl, h.prompts, "#e15759"));
  const hasSem = [h.before, h.afterSft, h.afterRl].some((s) => s && (s.fastAccuracySem !== undefined || s.rewardSem !== undefined));
  return {
    section: "heldout",
    file: "heldout.png",
    title: "Held-out evaluation",
    caption:
      `FAST prefix accuracy (share of the reference action tokens the greedy response reproduces before its first wrong token), format rate (share of responses in the required think/answer shape) ` +
      `and mean reward on ${h.prompts} held-out prompts, for each checkpoint; higher is better for all three. Error bars are 95% intervals: Wilson for the format rate` +
      (hasSem ? ", ±1.96 standard errors for the means." : "; the summary has no standard errors for the means, so they have none."),
    chart: {
      kind: "bar",
      spec: { title: `Held-out evaluation (${h.prompts} prompts)`, yLabel: "score", categories: ["FAST prefix accuracy", "format rate", "reward"], series },
    },
  };
}

/** All figures the inputs support, in report order. */
export function pipelineFigures(summary: PipelineSummary, records: readonly MetricsRecord[], stages: StageNames = DEFAULT_STAGE_NAMES): PipelineFigure[] {
  const figures = [
    heldoutFigure(summary),
    lossFigure(records, summary, stages),
    rewardFigure(records, summary, stages),
    heldoutDuringGrpoFigure(records, stages),
    simpleGrpoFigure(
      records,
      stages,
      ["responseLength"],
      "grpo-response-length.png",
      "Response length",
      "tokens",
      "Mean length in tokens of the completions sampled at each GRPO step. A slide toward zero or a climb to the generation limit usually means the policy found a way to game the reward rather than act better.",
    ),
    simpleGrpoFigure(
      records,
      stages,
      ["kl", "klLoss"],
      "grpo-kl.png",
      "KL to the reference policy",
      "KL",
      "Estimated KL divergence of the policy from the frozen reference model (the RL start) per GRPO step: how far RL has moved the model. Steady slow growth is expected; a sudden jump means an unstable update.",
    ),
  ];
  return figures.filter((f): f is PipelineFigure => f !== undefined);
}
