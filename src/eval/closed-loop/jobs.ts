// The evaluation as a list of independent episodes, each fully determined by (suite, task, trial), so
// results do not depend on how episodes are spread over workers (LIBERO: 50 fixed initial states per task).
import { INIT_STATES, suite as tasksOf } from "../../sim/tasks.js";
import { isChainSuite, type EvalSuite } from "./suites.js";

export interface TaskJob {
  id: number;
  suite: Exclude<EvalSuite, "chain">;
  task: number;
  /** Index into the task's fixed initial states. */
  trial: number;
  seed: number;
  /** Record frames for the media of the report. */
  media: boolean;
}

export interface ChainJob {
  id: number;
  suite: "chain";
  /** Chain index; the chain and its layout come from `chain(trial)`. */
  trial: number;
  seed: number;
  media: boolean;
}

export type Job = TaskJob | ChainJob;

export interface JobPlan {
  suites: readonly EvalSuite[];
  /** Trials per task (LIBERO-like suites) and chains (chain suite). */
  trials: number;
  /**
   * First initial state (and chain) index; default 0. Data recorded from initial states 0.. (the
   * `sim generate` split) is then evaluated on states it was not trained on.
   */
  firstTrial?: number;
  /** Restrict LIBERO-like suites to these task indices (default all 10). */
  tasks?: readonly number[];
  /** The first `mediaTrials` trials of each task (and chains) record frames. Default 0. */
  mediaTrials?: number;
}

/** Deterministic episode seed: a function of the episode's identity only. */
export function episodeSeed(suite: string, task: number, trial: number): number {
  let h = 0x811c9dc5;
  const s = `eval/${suite}/${task}/${trial}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** Episodes in a fixed order: suite, then task, then trial. */
export function buildJobs(p: JobPlan): Job[] {
  if (!(Number.isInteger(p.trials) && p.trials >= 1)) throw new Error(`trials must be a positive integer, got ${p.trials}`);
  const media = p.mediaTrials ?? 0;
  const first = p.firstTrial ?? 0;
  if (!(Number.isInteger(first) && first >= 0)) throw new Error(`firstTrial must be an integer ≥ 0, got ${first}`);
  const jobs: Job[] = [];
  for (const s of p.suites) {
    if (isChainSuite(s)) {
      for (let trial = first; trial < first + p.trials; trial++) jobs.push({ id: jobs.length, suite: s, trial, seed: episodeSeed(s, 0, trial), media: trial < first + media });
      continue;
    }
    if (first + p.trials > INIT_STATES) throw new Error(`each task has ${INIT_STATES} fixed initial states (LIBERO's list); first trial ${first} + ${p.trials} trials exceeds them for ${s}`);
    const tasks = tasksOf(s);
    const pick = p.tasks ?? tasks.map((_, i) => i);
    for (const t of pick) {
      const task = tasks[t];
      if (!task) throw new Error(`suite ${s} has tasks 0..${tasks.length - 1}; task ${t} does not exist`);
      for (let trial = first; trial < first + p.trials; trial++) jobs.push({ id: jobs.length, suite: s, task: t, trial, seed: task.initSeeds[trial], media: trial < first + media });
    }
  }
  return jobs;
}
