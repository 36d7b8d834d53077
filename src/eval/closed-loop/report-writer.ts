// The evaluation report folder: results.json (the run), report.md (tables, protocol, media) and a bar
// chart of success per suite with Wilson error bars (src/report/bar-chart.ts).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderBarChartPng } from "../../report/bar-chart.js";
import { bulletList, heading, imageLink, inlineCode } from "../../report/markdown.js";
import { evalRunJson, type EvalRun } from "./eval-run.js";
import { chainTable, suiteTable, taskTable } from "./report-tables.js";
import { LIBERO_SUITES } from "./suites.js";

export const RESULTS_FILE = "results.json";
export const REPORT_FILE = "report.md";
export const CHART_FILE = "success.png";

function protocolLines(run: EvalRun): string[] {
  const p = run.protocol;
  return [
    `policy ${inlineCode(run.policy.kind)}${"dir" in run.policy && run.policy.dir ? ` from ${inlineCode(String(run.policy.dir))}` : ""}`,
    `${run.trials} initial states per task${run.tasks ? ` (tasks ${run.tasks.join(", ")})` : ""}; chains: ${run.trials} five-instruction chains`,
    `${p.waitSteps} no-op wait steps after reset; step limit per suite ${p.maxSteps ?? "from tasks.ts (spatial 220, object 280, goal 300, long 520)"}; chain subtasks ${p.chainStepsPerSubtask ?? 240} steps`,
    p.replanSteps ? `action chunks executed open-loop for ${p.replanSteps} step(s) (at most the horizon) before re-querying` : "each action chunk executed whole, open-loop, before re-querying",
    `policy images ${run.imageSize}×${run.imageSize}; ${run.episodes} episodes in ${run.seconds.toFixed(1)} s on ${run.workers} worker(s) (${run.episodesPerSecond.toFixed(2)} episodes/s)`,
  ];
}

/** The Markdown report for `runs` (table rows); protocol, per-task tables and media come from the last run. */
export function renderReport(runs: readonly EvalRun[]): string {
  if (!runs.length) throw new Error("the report needs at least one evaluation run");
  const run = runs[runs.length - 1];
  const parts = [heading(1, "Closed-loop evaluation"), "Embedded MuJoCo world with the LIBERO protocol; numbers compare only within this harness, not with LIBERO or CALVIN.", ""];
  parts.push(heading(2, "Protocol"), bulletList(protocolLines(run)), "");
  if (runs.some((r) => r.summary.suites.length)) {
    parts.push(heading(2, "Success rate per suite"), "Success % ± half-width of the 95% Wilson interval (episodes). Average = mean of the suite rates.", "", suiteTable(runs), "");
    if (run.summary.suites.length) parts.push(imageLink("success per suite", CHART_FILE), "");
  }
  if (runs.some((r) => r.summary.chain)) {
    parts.push(heading(2, "Chains (CALVIN-style)"), "Share of chains (%) completing at least k instructions in a row, ± half-width of the 95% Wilson interval; average length 0–5.", "", chainTable(runs), "");
  }
  for (const s of run.summary.suites) parts.push(heading(3, `Tasks: ${s.suite} (${run.label})`), taskTable(run, s.suite), "");
  if (run.media.length) {
    parts.push(heading(2, "Episodes"));
    for (const m of run.media) parts.push(`${m.suite}, ${m.outcome}: ${imageLink(`${m.suite} ${m.outcome}`, m.file)}`, "");
  }
  return `${parts.join("\n").trimEnd()}\n`;
}

/** Writes results.json for the last run, report.md over all runs, and the chart. */
export async function writeReport(outDir: string, runs: readonly EvalRun[]): Promise<{ report: string; results: string; chart?: string }> {
  await mkdir(outDir, { recursive: true });
  const run = runs[runs.length - 1];
  const results = join(outDir, RESULTS_FILE);
  const report = join(outDir, REPORT_FILE);
  await writeFile(results, evalRunJson(run));
  await writeFile(report, renderReport(runs));
  const suites = LIBERO_SUITES.filter((s) => runs.some((r) => r.summary.suites.some((x) => x.suite === s)));
  if (!suites.length) return { report, results };
  const chart = join(outDir, CHART_FILE);
  await renderBarChartPng(
    {
      title: "Closed-loop success rate (95% Wilson intervals)",
      yLabel: "success rate",
      categories: [...suites, "average"],
      yMin: 0,
      yMax: 1,
      series: runs.map((r) => {
        const rates = [...suites.map((s) => r.summary.suites.find((x) => x.suite === s)), r.summary.average];
        return { name: r.label, values: rates.map((x) => x?.rate ?? null), errors: rates.map((x) => x?.ci ?? null) };
      }),
    },
    chart,
  );
  return { report, results, chart };
}
