// Closed-loop evaluation end to end: episodes from (suites, tasks, trials), run over the worker pool,
// summarised with Wilson intervals, and the chosen episodes written as media
// (shared/reference/simulation.md §4.1 LIBERO / OpenVLA-OFT protocol, §4.2 CALVIN chains).
import { join } from "node:path";
import type { JobResult, PolicySource } from "./episode-runner.js";
import { episodeRecords, EVAL_RUN_VERSION, type EvalRun } from "./eval-run.js";
import { buildJobs, type Job } from "./jobs.js";
import { selectMedia } from "./media-selection.js";
import { writeEpisodeMedia, type MediaFormat } from "./media-writer.js";
import { summarize } from "./metrics.js";
import { DEFAULT_TRIALS, resolveProtocol } from "./protocol.js";
import type { EvalSuite } from "./suites.js";
import { defaultWorkers, runJobs, type PoolOptions } from "./worker-pool.js";

export interface EvaluateOptions extends PoolOptions {
  policy: PolicySource;
  suites: readonly EvalSuite[];
  /** Initial states per task, and chains for the chain suite; default 50. */
  trials?: number;
  tasks?: readonly number[];
  /** First initial state of every task (and first chain); default 0. */
  firstTrial?: number;
  /** Row name for the report; default the policy kind (and folder). */
  label?: string;
  media?: {
    /** Folder the media paths are relative to. */
    outDir: string;
    format?: MediaFormat;
    /** Successes and failures kept per suite; default 2 each. */
    perOutcome?: number;
    /** Trials per task that record frames (candidates); default 1. */
    trials?: number;
  };
}

export interface Evaluation {
  run: EvalRun;
  jobs: Job[];
  results: JobResult[];
}

function labelOf(p: PolicySource): string {
  if ("instance" in p) return "policy";
  return p.dir ? `${p.kind} (${String(p.dir).split(/[\\/]/).filter(Boolean).pop()})` : p.kind;
}

export async function evaluatePolicy(o: EvaluateOptions): Promise<Evaluation> {
  const trials = o.trials ?? DEFAULT_TRIALS;
  const protocol = resolveProtocol(o.runner?.protocol);
  const jobs = buildJobs({ suites: o.suites, trials, tasks: o.tasks, firstTrial: o.firstTrial, mediaTrials: o.media ? (o.media.trials ?? 1) : 0 });
  const workers = o.workers ?? defaultWorkers();
  const t0 = performance.now();
  const results = await runJobs(o.policy, jobs, { ...o, workers });
  const seconds = (performance.now() - t0) / 1000;
  const media: EvalRun["media"] = [];
  if (o.media) {
    const format = o.media.format ?? "gif";
    for (const p of selectMedia(jobs, results, o.media.perOutcome ?? 2, format)) {
      await writeEpisodeMedia(p.result.frames!, join(o.media.outDir, p.file), format);
      media.push({ suite: p.job.suite, outcome: p.outcome, file: p.file });
    }
    // Frames are large and no longer needed once written.
    for (const r of results) delete r.frames;
  }
  const run: EvalRun = {
    version: EVAL_RUN_VERSION,
    label: o.label ?? labelOf(o.policy),
    policy: "instance" in o.policy ? { kind: "instance", instance: true } : o.policy,
    suites: [...o.suites],
    trials,
    firstTrial: o.firstTrial ?? 0,
    tasks: o.tasks ? [...o.tasks] : undefined,
    protocol,
    imageSize: o.runner?.imageSize ?? 128,
    workers: jobs.length <= 1 ? 1 : Math.min(workers, jobs.length),
    episodes: jobs.length,
    seconds,
    episodesPerSecond: jobs.length / seconds,
    summary: summarize(jobs, results),
    media,
    records: episodeRecords(jobs, results),
  };
  return { run, jobs, results };
}
