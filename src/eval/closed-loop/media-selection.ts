// Which recorded episodes become report media: per suite, the first few successes and the first few
// failures in job order, so the choice is the same for any worker count.
import type { JobResult } from "./episode-runner.js";
import type { Job } from "./jobs.js";
import type { MediaFormat } from "./media-writer.js";

export interface MediaPick {
  job: Job;
  result: JobResult;
  outcome: "success" | "failure";
  /** Path relative to the output folder, e.g. `media/spatial/task03_trial00_success.gif`. */
  file: string;
}

export function mediaFileName(job: Job, r: JobResult, format: MediaFormat): string {
  const trial = String(job.trial).padStart(2, "0");
  if (job.suite === "chain") return `media/chain/chain${trial}_${r.completed ?? 0}of5.${format}`;
  return `media/${job.suite}/task${String(job.task).padStart(2, "0")}_trial${trial}_${r.success ? "success" : "failure"}.${format}`;
}

export function selectMedia(jobs: readonly Job[], results: readonly JobResult[], perOutcome: number, format: MediaFormat): MediaPick[] {
  const picks: MediaPick[] = [];
  const count = new Map<string, number>();
  jobs.forEach((job, i) => {
    const r = results[i];
    if (!r?.frames?.frames.length) return;
    const outcome = r.success ? "success" : "failure";
    const key = `${job.suite}/${outcome}`;
    const n = count.get(key) ?? 0;
    if (n >= perOutcome) return;
    count.set(key, n + 1);
    picks.push({ job, result: r, outcome, file: mediaFileName(job, r, format) });
  });
  return picks;
}
