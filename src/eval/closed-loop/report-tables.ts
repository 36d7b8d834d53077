// Markdown tables shaped like the paper's Tables 2–3 (rows = policies, columns = suites + average) and
// Table 4 (CALVIN-style chains: 1..5 in a row and average length), built with src/report/markdown.ts.
import { markdownTable, type Cell } from "../../report/markdown.js";
import type { EvalRun } from "./eval-run.js";
import type { Rate } from "./metrics.js";
import { LIBERO_SUITES } from "./suites.js";

/**
 * "92.0 ± 5.5 (50)": success %, ± half the width of the 95% Wilson interval (the interval itself is
 * asymmetric; results.json has its ends), and the number of episodes.
 */
export function formatRate(r: Rate | undefined, withN = true): string {
  if (!r || !(r.trials > 0)) return "—";
  const half = (50 * (r.ci.high - r.ci.low)).toFixed(1);
  return `${(100 * r.rate).toFixed(1)} ± ${half}${withN ? ` (${r.trials})` : ""}`;
}

const TITLE: Record<string, string> = { spatial: "Spatial", object: "Object", goal: "Goal", long: "Long" };

/** Suites + average; a suite column appears when any run evaluated it. */
export function suiteTable(runs: readonly EvalRun[]): string {
  const cols = LIBERO_SUITES.filter((s) => runs.some((r) => r.summary.suites.some((x) => x.suite === s)));
  const rows: Cell[][] = runs.map((run) => [
    run.label,
    ...cols.map((s) => formatRate(run.summary.suites.find((x) => x.suite === s))),
    formatRate(run.summary.average),
  ]);
  return markdownTable(["Policy", ...cols.map((c) => ({ header: TITLE[c], align: "right" as const })), { header: "Average", align: "right" }], rows);
}

/** Share of chains completing ≥ k subtasks in a row (%, ± Wilson half-width) and the average length. */
export function chainTable(runs: readonly EvalRun[]): string {
  const rows: Cell[][] = runs
    .filter((r) => r.summary.chain)
    .map((run) => {
      const c = run.summary.chain!;
      return [run.label, ...c.inARow.map((r) => formatRate(r, false)), c.avgLength.toFixed(2), c.chains];
    });
  const k = [1, 2, 3, 4, 5].map((i) => ({ header: `${i}`, align: "right" as const }));
  return markdownTable(["Policy", ...k, { header: "Avg. Len.", align: "right" }, { header: "Chains", align: "right" }], rows);
}

/** One run's per-task rates for a suite. */
export function taskTable(run: EvalRun, suite: string): string {
  const s = run.summary.suites.find((x) => x.suite === suite);
  if (!s) return "";
  const rows: Cell[][] = s.tasks.map((t) => [t.task, t.language, formatRate(t), Number.isFinite(t.meanSuccessSteps) ? t.meanSuccessSteps.toFixed(1) : "—"]);
  return markdownTable([{ header: "Task", align: "right" }, "Instruction", { header: "Success % (n)", align: "right" }, { header: "Steps (successes)", align: "right" }], rows);
}
