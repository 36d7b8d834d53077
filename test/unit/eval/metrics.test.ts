// Success-rate statistics: Wilson intervals per rate, per-task/per-suite grouping, CALVIN chain metrics.
import { describe, expect, it } from "vitest";
import { chainMetrics, rateOf, summarize, type Job, type JobResult } from "../../../src/eval/closed-loop/index.js";

describe("rateOf (95% Wilson)", () => {
  it("matches reference values", () => {
    // Wilson 95%: 0/10 → [0, 0.2775], 5/10 → [0.2366, 0.7634], 10/10 → [0.7225, 1], 45/50 → [0.7864, 0.9565]
    const cases: [number, number, number, number][] = [
      [0, 10, 0, 0.2775],
      [5, 10, 0.2366, 0.7634],
      [10, 10, 0.7225, 1],
      [45, 50, 0.7864, 0.9565],
    ];
    for (const [k, n, lo, hi] of cases) {
      const r = rateOf(k, n);
      expect(r.rate).toBeCloseTo(k / n, 12);
      expect(r.ci.low).toBeCloseTo(lo, 3);
      expect(r.ci.high).toBeCloseTo(hi, 3);
    }
  });
  it("has no interval without trials", () => {
    const r = rateOf(0, 0);
    expect(r.rate).toBeNaN();
    expect(r.ci.low).toBeNaN();
  });
});

describe("summarize", () => {
  const result = (id: number, success: boolean, steps = 40, completed?: number): JobResult => ({ id, success, steps, inferCalls: steps, completed });

  it("groups by task and suite in job order, and averages suite rates", () => {
    const jobs: Job[] = [];
    const results: JobResult[] = [];
    const add = (suite: "spatial" | "goal", task: number, trial: number, ok: boolean, steps: number) => {
      jobs.push({ id: jobs.length, suite, task, trial, seed: 0, media: false });
      results.push(result(jobs.length - 1, ok, steps));
    };
    add("spatial", 0, 0, true, 40);
    add("spatial", 0, 1, true, 60);
    add("spatial", 3, 0, false, 220);
    add("spatial", 3, 1, true, 50);
    add("goal", 1, 0, false, 300);
    add("goal", 1, 1, false, 300);
    const s = summarize(jobs, results);
    expect(s.suites.map((x) => x.suite)).toEqual(["spatial", "goal"]);
    const sp = s.suites[0];
    expect([sp.successes, sp.trials]).toEqual([3, 4]);
    expect(sp.tasks.map((t) => [t.task, t.successes, t.trials, t.meanSuccessSteps])).toEqual([
      [0, 2, 2, 50],
      [3, 1, 2, 50],
    ]);
    expect(sp.tasks[0].language).toMatch(/black block/);
    expect(s.suites[1].rate).toBe(0);
    expect(s.average?.rate).toBeCloseTo((0.75 + 0) / 2, 12);
    expect(s.average?.trials).toBe(6);
    expect(s.chain).toBeUndefined();
  });

  it("computes chain metrics from a fake run", () => {
    const completed = [5, 3, 0, 1, 5, 2, 4, 5, 0, 3];
    const jobs: Job[] = completed.map((_, i) => ({ id: i, suite: "chain", trial: i, seed: i, media: false }));
    const results = completed.map((c, i) => result(i, c === 5, 100, c));
    const s = summarize(jobs, results);
    expect(s.suites).toEqual([]);
    expect(s.average).toBeUndefined();
    const c = s.chain!;
    expect(c.chains).toBe(10);
    expect(c.inARow.map((r) => r.successes)).toEqual([8, 7, 6, 4, 3]);
    expect(c.inARow.map((r) => r.rate)).toEqual([0.8, 0.7, 0.6, 0.4, 0.3]);
    expect(c.avgLength).toBeCloseTo(2.8, 12);
    expect(c.inARow[0].ci.low).toBeGreaterThan(0.4);
    expect(chainMetrics([]).avgLength).toBeNaN();
  });

  it("refuses mismatched jobs and results", () => {
    expect(() => summarize([{ id: 0, suite: "chain", trial: 0, seed: 0, media: false }], [])).toThrow(/one result per job/);
  });
});
