// The record of one evaluation (results.json): what was run, under which protocol, every episode's
// outcome and the summary. Several records make the rows of the report tables.
import { readFile } from "node:fs/promises";
import type { JobResult } from "./episode-runner.js";
import type { Job } from "./jobs.js";
import type { Summary } from "./metrics.js";
import type { PolicySpec } from "./policy-factory.js";
import type { Protocol } from "./protocol.js";
import type { EvalSuite } from "./suites.js";

export const EVAL_RUN_VERSION = 1;

export interface EpisodeRecord {
  suite: EvalSuite;
  task?: number;
  trial: number;
  seed: number;
  success: boolean;
  steps: number;
  inferCalls: number;
  completed?: number;
}

export interface EvalRun {
  version: number;
  /** Row name in the report tables (policy / backbone). */
  label: string;
  policy: PolicySpec | { kind: string; instance: true };
  suites: EvalSuite[];
  trials: number;
  /** First initial state index of each task (absent in older records: 0). */
  firstTrial?: number;
  tasks?: number[];
  protocol: Protocol;
  imageSize: number;
  workers: number;
  episodes: number;
  seconds: number;
  episodesPerSecond: number;
  summary: Summary;
  /** Report media, relative to the output folder. */
  media: { suite: EvalSuite; outcome: "success" | "failure"; file: string }[];
  records: EpisodeRecord[];
}

export function episodeRecords(jobs: readonly Job[], results: readonly JobResult[]): EpisodeRecord[] {
  return jobs.map((j, i) => {
    const r = results[i];
    const rec: EpisodeRecord = { suite: j.suite, trial: j.trial, seed: j.seed, success: r.success, steps: r.steps, inferCalls: r.inferCalls };
    if (j.suite !== "chain") rec.task = j.task;
    if (r.completed !== undefined) rec.completed = r.completed;
    return rec;
  });
}

/** Reads a results.json written by `vla eval`, e.g. to add it as a row of a comparison table. */
export async function readEvalRun(path: string): Promise<EvalRun> {
  let run: EvalRun;
  try {
    run = JSON.parse(await readFile(path, "utf8")) as EvalRun;
  } catch (e) {
    throw new Error(`cannot read evaluation results ${path} (${(e as Error).message}); pass a results.json written by \`roboalign vla eval\``);
  }
  if (run?.version !== EVAL_RUN_VERSION || !run.summary) throw new Error(`${path} is not an evaluation results file of version ${EVAL_RUN_VERSION}; re-run \`roboalign vla eval\` to produce one`);
  return run;
}

/** JSON with NaN written as null (JSON has no NaN), indented for reading. */
export function evalRunJson(run: EvalRun): string {
  return `${JSON.stringify(run, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`;
}
