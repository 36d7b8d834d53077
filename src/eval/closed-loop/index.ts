// Public surface of closed-loop evaluation (shared/reference/simulation.md §4, §7): policies in the
// embedded MuJoCo world under the LIBERO protocol, CALVIN-style chains, parallel workers, reports.
export * from "./protocol.js";
export * from "./suites.js";
export * from "./jobs.js";
export * from "./observation.js";
export * from "./episode-context.js";
export * from "./builtin-policies.js";
export * from "./policy-factory.js";
export * from "./action-queue.js";
export * from "./episode.js";
export * from "./episode-runner.js";
export * from "./worker-pool.js";
export * from "./metrics.js";
export * from "./media-camera.js";
export * from "./media-writer.js";
export * from "./media-selection.js";
export * from "./eval-run.js";
export * from "./report-tables.js";
export * from "./report-writer.js";
export * from "./evaluate.js";
