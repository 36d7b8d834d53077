// Messages between the evaluation pool and its worker threads (node:worker_threads, structured clone).
import type { JobResult, RunnerOptions } from "./episode-runner.js";
import type { Job } from "./jobs.js";
import type { PolicySpec } from "./policy-factory.js";

export type ToWorker = { type: "init"; spec: PolicySpec; runner: RunnerOptions } | { type: "job"; job: Job } | { type: "close" };

export type FromWorker = { type: "ready" } | { type: "result"; result: JobResult } | { type: "error"; message: string; stack?: string } | { type: "closed" };

/** Frame buffers move to the other thread instead of being copied. */
export function transferablesOf(r: JobResult): ArrayBuffer[] {
  return (r.frames?.frames ?? []).map((f) => f.buffer as ArrayBuffer);
}
