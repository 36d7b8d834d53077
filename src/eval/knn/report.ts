// ref: RoboAlign Appendix B.1, Table 9 (Backbone | k-NN accuracy): the probe's report folder with
// results.json (the run), report.md (the table and the protocol) and a bar chart drawn with
// src/report/bar-chart.ts, like the closed-loop report (src/eval/closed-loop/report-writer.ts).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderBarChartPng } from "../../report/bar-chart.js";
import { bulletList, heading, imageLink, inlineCode, markdownTable } from "../../report/markdown.js";
import type { KnnProbeResult } from "./probe.js";

export const KNN_RESULTS_FILE = "results.json";
export const KNN_REPORT_FILE = "report.md";
export const KNN_CHART_FILE = "knn-accuracy.png";

/** Where the probe's inputs came from (for the report; all optional). */
export interface KnnProbeMeta {
  data?: string;
  instruction?: string;
  backbones?: { label: string; dir: string; layer: number }[];
}

const pct = (x: number) => (100 * x).toFixed(1);

/** The protocol in two sentences. */
export function protocolText(r: KnnProbeResult): string {
  return (
    `Each timestep of ${r.trajectories} demonstrations of one task gets one of ${r.classes} phase classes by DTW over standardised robot states: ` +
    `the DTW medoid trajectory (${inlineCode(r.reference)}) is cut into ${r.classes} equal-time phases and every other trajectory takes the phase of the reference step it aligns to. ` +
    `The backbone sees only the camera images and the instruction; its layer-L hidden states, mean-pooled over tokens, are classified by a ${r.k}-NN (cosine distance, majority vote) ` +
    `whose neighbours come only from the other trajectories (leave-one-trajectory-out)${r.stride > 1 ? `, on one timestep in every ${r.stride}` : ""}.`
  );
}

/** Table 9's shape: one row per backbone. */
export function knnTable(r: KnnProbeResult): string {
  return markdownTable(
    ["Backbone", { header: "k-NN accuracy (%)", align: "right" }],
    r.sources.map((s) => [s.label, pct(s.accuracy)]),
  );
}

/** One line of counts for the console: timesteps, trajectories, classes, k, chance. */
export function knnSummaryLine(r: KnnProbeResult): string {
  return `k-NN phase probe: ${r.timesteps} timesteps of ${r.trajectories} trajectories, ${r.classes} classes, k = ${r.k}, stride ${r.stride}; chance ${pct(r.chance)}%; reference ${r.reference}`;
}

export function renderKnnReport(r: KnnProbeResult, meta: KnnProbeMeta = {}): string {
  const parts = [heading(1, "Representation probe: k-NN phase classification"), protocolText(r), ""];
  const facts = [
    `${r.timesteps} timesteps from ${r.trajectories} trajectories${r.skipped ? ` (${r.skipped} sampled timesteps skipped: unreadable frames)` : ""}`,
    `chance level (most common class): ${pct(r.chance)}%`,
  ];
  if (meta.data) facts.push(`data ${inlineCode(meta.data)}`);
  if (meta.instruction) facts.push(`task ${inlineCode(meta.instruction)}`);
  for (const b of meta.backbones ?? []) facts.push(`${b.label}: ${inlineCode(b.dir)}, layer ${b.layer}`);
  parts.push(bulletList(facts), "");
  parts.push(
    knnTable(r),
    "",
    imageLink("k-NN accuracy per backbone", KNN_CHART_FILE),
  );
  return `${parts.join("\n").trimEnd()}\n`;
}

/** Writes results.json, report.md and the chart into `outDir`; returns their paths. */
export async function writeKnnReport(outDir: string, r: KnnProbeResult, meta: KnnProbeMeta = {}): Promise<{ results: string; report: string; chart: string }> {
  await mkdir(outDir, { recursive: true });
  const results = join(outDir, KNN_RESULTS_FILE);
  const report = join(outDir, KNN_REPORT_FILE);
  const chart = join(outDir, KNN_CHART_FILE);
  await writeFile(results, `${JSON.stringify({ ...r, ...meta, protocol: protocolText(r).replace(/`/g, "") }, null, 2)}\n`);
  await writeFile(report, renderKnnReport(r, meta));
  await renderBarChartPng(
    {
      title: `k-NN phase accuracy (k = ${r.k}, ${r.classes} classes; chance ${pct(r.chance)}%)`,
      yLabel: "accuracy (%)",
      categories: r.sources.map((s) => s.label),
      yMin: 0,
      yMax: 100,
      valueDigits: 3,
      series: [{ name: "k-NN accuracy", values: r.sources.map((s) => 100 * s.accuracy) }],
    },
    chart,
  );
  return { results, report, chart };
}
