// Parallel episodes over worker_threads, one MuJoCo env per thread (shared/reference/simulation.md §1,
// §2.5: 1.9 → 2.7–3.3 episodes/s on 2 cores). Jobs go to whichever worker is free and results are
// stored by job id, so the output is the same for any worker count.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { EpisodeRunner, type JobResult, type PolicySource, type RunnerOptions } from "./episode-runner.js";
import type { Job } from "./jobs.js";
import type { PolicySpec } from "./policy-factory.js";
import type { FromWorker, ToWorker } from "./worker-messages.js";

export interface PoolOptions {
  /** Threads; 1 runs every episode in the calling thread. Default: cores − 1, at least 1. */
  workers?: number;
  runner?: RunnerOptions;
  /** Called as each episode finishes (in completion order, which varies with the worker count). */
  onResult?: (result: JobResult, job: Job, done: number) => void;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * How to start the worker script `name` (without extension) that sits beside the module `from`
 * (its import.meta.url), with `data` as its workerData. The compiled build starts `name.js`. Running from
 * TypeScript sources (vitest) there is no .js, so ts-worker.mjs registers a TypeScript loader first.
 */
export function workerScript(from: string, name: string, data: Record<string, unknown> = {}): { url: URL; workerData: Record<string, unknown> } {
  if (from.endsWith(".ts")) return { url: new URL("./ts-worker.mjs", import.meta.url), workerData: { ...data, entry: new URL(`./${name}.ts`, from).href } };
  return { url: new URL(`./${name}.js`, from), workerData: data };
}

/** One worker thread and the single request it may have in flight. */
class PoolWorker {
  private readonly worker: Worker;
  private pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
  private dead: Error | undefined;

  constructor(index: number) {
    const s = workerScript(import.meta.url, "worker-entry");
    this.worker = new Worker(s.url, { workerData: s.workerData, name: `roboalign-eval-${index}` });
    this.worker.on("message", (m: FromWorker) => {
      const p = this.pending;
      this.pending = undefined;
      if (!p) return;
      if (m.type === "error") {
        const e = new Error(`evaluation worker ${index}: ${m.message}`);
        if (m.stack) e.stack = `${e.message}\n--- in the worker ---\n${m.stack}`;
        p.reject(e);
      } else p.resolve(m);
    });
    const die = (e: Error) => {
      this.dead ??= e;
      this.pending?.reject(e);
      this.pending = undefined;
    };
    this.worker.on("error", (e) => die(new Error(`evaluation worker ${index} crashed: ${e.message}`)));
    this.worker.on("exit", (code) => die(new Error(`evaluation worker ${index} exited (code ${code}) with work outstanding`)));
  }

  request(m: ToWorker): Promise<FromWorker> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(m);
    });
  }

  async close(): Promise<void> {
    // A worker still busy (another one failed) is not asked to close: its answer would be the job's.
    if (!this.dead && !this.pending) {
      try {
        await this.request({ type: "close" });
      } catch {
        // closing after a failure: terminate() below still ends the thread
      }
    }
    await this.worker.terminate();
  }
}

function isSpec(p: PolicySource): p is PolicySpec {
  return !("instance" in p);
}

/** Runs every job and returns the results in job order. */
export async function runJobs(source: PolicySource, jobs: readonly Job[], o: PoolOptions = {}): Promise<JobResult[]> {
  const workers = o.workers ?? defaultWorkers();
  if (!(Number.isInteger(workers) && workers >= 1)) throw new Error(`workers must be a positive integer, got ${workers}`);
  const results: JobResult[] = new Array(jobs.length);
  let done = 0;
  const finish = (r: JobResult, i: number) => {
    results[i] = r;
    o.onResult?.(r, jobs[i], ++done);
  };
  if (workers === 1 || jobs.length <= 1) {
    const runner = await EpisodeRunner.create(source, o.runner);
    try {
      for (const [i, job] of jobs.entries()) {
        finish(await runner.run(job), i);
        // Policies that answer synchronously keep this loop in microtasks; yield so timers (the
        // progress bar's redraw) and I/O get a turn between episodes.
        await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      // An instance belongs to the caller, who disposes it.
      await runner.dispose(isSpec(source));
    }
    return results;
  }
  if (!isSpec(source)) throw new Error("a Policy object cannot be sent to worker threads; pass a serialisable PolicySpec (e.g. {kind: \"expert\"}) or use workers: 1");

  const pool = Array.from({ length: Math.min(workers, jobs.length) }, (_, i) => new PoolWorker(i));
  let next = 0;
  let failed = false;
  const drive = async (w: PoolWorker) => {
    const ready = await w.request({ type: "init", spec: source, runner: o.runner ?? {} });
    if (ready.type !== "ready") throw new Error(`evaluation worker answered init with "${ready.type}"`);
    while (!failed && next < jobs.length) {
      const i = next++;
      const m = await w.request({ type: "job", job: jobs[i] });
      if (m.type !== "result") throw new Error(`evaluation worker answered a job with "${m.type}"`);
      finish(m.result, i);
    }
  };
  try {
    await Promise.all(
      pool.map((w) =>
        drive(w).catch((e: unknown) => {
          // the first failure ends the run: the other workers take no further jobs
          failed = true;
          throw e;
        }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.close()));
  }
  return results;
}
