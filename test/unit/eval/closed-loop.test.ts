// Closed-loop runner under the LIBERO protocol (shared/reference/simulation.md §4.1, §7): built-in
// policies, no-op wait steps, open-loop chunk execution and per-suite success.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EpisodeContext, evaluatePolicy, NOOP_ACTION, resolveProtocol, runChainEpisode, runTaskEpisode, type EpisodeDeps } from "../../../src/eval/closed-loop/index.js";
import { chain, RobotEnv, suite } from "../../../src/sim/index.js";
import { RecordingPolicy } from "./fakes.js";

describe("built-in policies", () => {
  it("the scripted expert solves a few spatial and goal tasks", async () => {
    const { run } = await evaluatePolicy({ policy: { kind: "expert" }, suites: ["spatial", "goal"], tasks: [0, 4], trials: 2, workers: 1 });
    for (const s of run.summary.suites) {
      expect(s.trials).toBe(4);
      expect(s.rate).toBeGreaterThanOrEqual(0.9);
      expect(s.ci.low).toBeGreaterThan(0);
      expect(s.ci.high).toBe(1);
    }
    expect(run.records.every((r) => r.inferCalls === r.steps)).toBe(true);
  });

  it("the no-op policy never succeeds", async () => {
    const { run } = await evaluatePolicy({ policy: { kind: "noop" }, suites: ["object"], tasks: [0, 1], trials: 2, workers: 1, runner: { protocol: { maxSteps: 30 } } });
    expect(run.summary.suites[0].successes).toBe(0);
    expect(run.summary.suites[0].trials).toBe(4);
    expect(run.records.every((r) => r.steps === 30)).toBe(true);
  });
});

describe("episode protocol", () => {
  let env: RobotEnv;
  beforeAll(async () => {
    env = await RobotEnv.create({ imageSize: 16 });
  });
  afterAll(() => env.dispose());

  const deps = (policy: RecordingPolicy, protocol: Parameters<typeof resolveProtocol>[0]): EpisodeDeps => ({ env, policy, ctx: new EpisodeContext(env), protocol: resolveProtocol(protocol) });
  const task = () => suite("spatial")[0];

  it("sends the no-op wait steps before the first query and does not count them", async () => {
    const policy = new RecordingPolicy(1);
    const actions: number[][] = [];
    let queriedAt = -1;
    const spy = vi.spyOn(env, "step").mockImplementation(function (this: RobotEnv, a) {
      actions.push(Array.from(a));
      return RobotEnv.prototype.step.call(env, a);
    });
    const infer = policy.infer.bind(policy);
    policy.infer = async (o) => {
      if (queriedAt < 0) queriedAt = actions.length;
      return infer(o);
    };
    try {
      const r = await runTaskEpisode(deps(policy, { waitSteps: 10, maxSteps: 6 }), task(), task().initSeeds[0]);
      expect(r.steps).toBe(6);
      expect(queriedAt).toBe(10);
      expect(actions.length).toBe(16);
      for (const a of actions.slice(0, 10)) expect(a).toEqual([...NOOP_ACTION]);
      expect(actions[10][0]).toBeCloseTo(0.01);
    } finally {
      spy.mockRestore();
    }
  });

  it("queries the policy once per executed chunk prefix (replanSteps) and passes 8-D state and images", async () => {
    const cases: [number, number | undefined, number, number][] = [
      // horizon, replanSteps, maxSteps, expected infer calls
      [4, undefined, 10, 3],
      [4, 2, 10, 5],
      [4, 9, 10, 3], // capped at the horizon
      [1, undefined, 7, 7],
    ];
    for (const [horizon, replanSteps, maxSteps, calls] of cases) {
      const policy = new RecordingPolicy(horizon);
      const r = await runTaskEpisode(deps(policy, { waitSteps: 0, replanSteps, maxSteps }), task(), task().initSeeds[1]);
      expect(r.inferCalls, `horizon ${horizon}, replan ${replanSteps}`).toBe(calls);
      expect(policy.observations.length).toBe(calls);
      expect(policy.resets).toBe(1);
    }
    const policy = new RecordingPolicy(2);
    await runTaskEpisode(deps(policy, { maxSteps: 2 }), task(), task().initSeeds[2]);
    const o = policy.observations[0];
    expect(o.state.length).toBe(8);
    expect(o.instruction).toBe(task().language);
    expect(o.images.image.width).toBe(16);
    expect(o.images.wrist_image.data.length).toBe(16 * 16 * 3);
  });

  it("resets the policy per chain subtask and stops the chain at the first failure", async () => {
    const policy = new RecordingPolicy(3);
    const c = chain(0);
    const r = await runChainEpisode(deps(policy, { waitSteps: 2, chainStepsPerSubtask: 5 }), c, 0);
    expect(r.completed).toBe(0);
    expect(r.success).toBe(false);
    expect(r.subtaskSteps).toEqual([5]);
    expect(policy.resets).toBe(1);
    expect(r.inferCalls).toBe(2);
  });

  it("rejects a chunk of the wrong shape with a message that names the expected size", async () => {
    const policy = new RecordingPolicy(2);
    policy.infer = async () => new Float64Array(7);
    await expect(runTaskEpisode(deps(policy, { maxSteps: 3 }), task(), task().initSeeds[0])).rejects.toThrow(/2 × 7 = 14/);
  });
});

describe("chains with the expert", () => {
  it("completes five subtasks in a row on a chain", async () => {
    const { run } = await evaluatePolicy({ policy: { kind: "expert" }, suites: ["chain"], trials: 1, workers: 1 });
    expect(run.summary.chain?.chains).toBe(1);
    expect(run.summary.chain?.avgLength).toBe(5);
    expect(run.records[0].completed).toBe(5);
  });
});
