// worker_threads pool: each worker owns its env and builds the policy from its spec; results must not
// depend on the worker count (episodes are seeded by identity, results stored by job id).
import { describe, expect, it } from "vitest";
import { buildJobs, evaluatePolicy, runJobs } from "../../../src/eval/closed-loop/index.js";
import { RecordingPolicy } from "./fakes.js";

describe("worker pool", () => {
  it("gives identical results with 2 workers and with 1", async () => {
    const common = { policy: { kind: "expert" }, suites: ["spatial" as const], tasks: [1, 5], trials: 2 };
    const one = await evaluatePolicy({ ...common, workers: 1 });
    const two = await evaluatePolicy({ ...common, workers: 2 });
    expect(two.run.workers).toBe(2);
    expect(two.run.records).toEqual(one.run.records);
    expect(two.run.summary).toEqual(one.run.summary);
    expect(one.run.records.length).toBe(4);
    expect(new Set(one.run.records.map((r) => r.steps)).size).toBeGreaterThan(1);
  });

  it("reports a worker-side failure with the worker's message", async () => {
    const jobs = buildJobs({ suites: ["spatial"], tasks: [0], trials: 2 });
    await expect(runJobs({ kind: "no-such-kind" }, jobs, { workers: 2 })).rejects.toThrow(/evaluation worker \d: no policy factory for kind "no-such-kind"/);
  });

  it("refuses to send a Policy object to worker threads", async () => {
    const jobs = buildJobs({ suites: ["spatial"], tasks: [0], trials: 2 });
    await expect(runJobs({ instance: new RecordingPolicy(1) }, jobs, { workers: 2 })).rejects.toThrow(/cannot be sent to worker threads/);
  });
});
