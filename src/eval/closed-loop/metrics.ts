// Success rates with 95% Wilson intervals per task and per suite (LIBERO reporting), and CALVIN's chain
// metrics: the share of chains completing ≥ k subtasks in a row, k = 1..5, and the average length
// (shared/reference/simulation.md §4.1, §4.2).
import { wilsonInterval, type Interval } from "../../report/intervals.js";
import { suite as tasksOf } from "../../sim/tasks.js";
import type { JobResult } from "./episode-runner.js";
import type { Job, TaskJob } from "./jobs.js";
import type { EvalSuite } from "./suites.js";

export interface Rate {
  successes: number;
  trials: number;
  /** successes / trials (NaN for 0 trials). */
  rate: number;
  /** 95% Wilson interval of the rate. */
  ci: Interval;
}

export function rateOf(successes: number, trials: number): Rate {
  const rate = trials > 0 ? successes / trials : Number.NaN;
  return { successes, trials, rate, ci: wilsonInterval(rate, trials) };
}

export interface TaskMetrics extends Rate {
  task: number;
  language: string;
  /** Mean policy steps of the successful episodes (NaN when none). */
  meanSuccessSteps: number;
}

export interface SuiteMetrics extends Rate {
  suite: Exclude<EvalSuite, "chain">;
  tasks: TaskMetrics[];
}

export interface ChainMetrics {
  chains: number;
  /** `inARow[k-1]`: share of chains completing at least k subtasks in a row, with its interval. */
  inARow: Rate[];
  /** Mean subtasks completed per chain (0..length), CALVIN's "average length". */
  avgLength: number;
}

export interface Summary {
  suites: SuiteMetrics[];
  /** Over the LIBERO-like suites: the mean of suite rates (the papers' "Average"), CI over all their episodes. */
  average?: Rate;
  chain?: ChainMetrics;
}

export function chainMetrics(completed: readonly number[], length = 5): ChainMetrics {
  const n = completed.length;
  const inARow = Array.from({ length }, (_, k) => rateOf(completed.filter((c) => c >= k + 1).length, n));
  const avgLength = n ? completed.reduce((s, c) => s + c, 0) / n : Number.NaN;
  return { chains: n, inARow, avgLength };
}

/** Groups results (in job order) by suite and task. */
export function summarize(jobs: readonly Job[], results: readonly JobResult[]): Summary {
  if (jobs.length !== results.length) throw new Error(`summary needs one result per job: ${results.length} results for ${jobs.length} jobs`);
  const suites: SuiteMetrics[] = [];
  const chainDone: number[] = [];
  const byTask = new Map<string, { job: TaskJob; r: JobResult }[]>();
  jobs.forEach((job, i) => {
    if (job.suite === "chain") {
      chainDone.push(results[i].completed ?? 0);
      return;
    }
    const key = `${job.suite}/${job.task}`;
    const rows = byTask.get(key) ?? [];
    rows.push({ job, r: results[i] });
    byTask.set(key, rows);
  });
  // Map iteration follows insertion, i.e. job order: suites and tasks keep the order they were asked in.
  for (const rows of byTask.values()) {
    const job = rows[0].job;
    let s = suites.find((x) => x.suite === job.suite);
    if (!s) {
      s = { suite: job.suite, ...rateOf(0, 0), tasks: [] };
      suites.push(s);
    }
    const ok = rows.filter((x) => x.r.success);
    s.tasks.push({
      task: job.task,
      language: tasksOf(job.suite)[job.task].language,
      ...rateOf(ok.length, rows.length),
      meanSuccessSteps: ok.length ? ok.reduce((a, x) => a + x.r.steps, 0) / ok.length : Number.NaN,
    });
  }
  for (const s of suites) Object.assign(s, rateOf(s.tasks.reduce((a, t) => a + t.successes, 0), s.tasks.reduce((a, t) => a + t.trials, 0)));
  const out: Summary = { suites };
  if (suites.length) {
    const pooled = rateOf(suites.reduce((a, s) => a + s.successes, 0), suites.reduce((a, s) => a + s.trials, 0));
    out.average = { ...pooled, rate: suites.reduce((a, s) => a + s.rate, 0) / suites.length };
  }
  if (chainDone.length) out.chain = chainMetrics(chainDone);
  return out;
}
