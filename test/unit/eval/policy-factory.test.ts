// Policy registry: built-in kinds, custom kinds, policy directories (policy.json) and error messages.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildJobs, createPolicy, EpisodeContext, loadPolicy, parsePolicyArg, parseSuites, registerPolicyFactory, registeredPolicyKinds } from "../../../src/eval/closed-loop/index.js";
import { RobotEnv } from "../../../src/sim/index.js";
import { RecordingPolicy } from "./fakes.js";

let env: RobotEnv;
let dir: string;
beforeAll(async () => {
  env = await RobotEnv.create({ render: false });
  dir = await mkdtemp(join(tmpdir(), "eval-policy-"));
});
afterAll(async () => {
  env.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("policy factory", () => {
  it("has expert and noop built in", async () => {
    expect(registeredPolicyKinds()).toEqual(expect.arrayContaining(["expert", "noop"]));
    const ctx = new EpisodeContext(env);
    const noop = await createPolicy({ kind: "noop" }, ctx);
    expect([noop.horizon, noop.actionDim]).toEqual([1, 7]);
    expect(Array.from(await noop.infer({ images: {}, state: new Float64Array(8), instruction: "" }))).toEqual([0, 0, 0, 0, 0, 0, -1]);
    expect((await createPolicy({ kind: "expert" }, ctx)).horizon).toBe(1);
  });

  it("builds registered kinds and loads policy directories", async () => {
    registerPolicyFactory("recording", async (spec) => new RecordingPolicy(Number(spec.horizon ?? 1)));
    await writeFile(join(dir, "policy.json"), JSON.stringify({ kind: "recording", horizon: 4 }));
    const spec = await parsePolicyArg(dir);
    expect(spec).toMatchObject({ kind: "recording", horizon: 4, dir });
    expect((await loadPolicy(dir, new EpisodeContext(env))).horizon).toBe(4);
    expect(await parsePolicyArg("noop")).toEqual({ kind: "noop" });
  });

  it("explains what is missing", async () => {
    await expect(parsePolicyArg(join(dir, "nope"))).rejects.toThrow(/needs policy.json naming its kind/);
    await writeFile(join(dir, "policy.json"), "{oops");
    await expect(parsePolicyArg(dir)).rejects.toThrow(/not valid JSON/);
    await expect(createPolicy({ kind: "missing" }, new EpisodeContext(env))).rejects.toThrow(/no policy factory for kind "missing" \(known: .*expert/);
  });
});

describe("suites and jobs", () => {
  it("parses suite lists", () => {
    expect(parseSuites("libero")).toEqual(["spatial", "object", "goal", "long"]);
    expect(parseSuites("goal, chain,goal")).toEqual(["goal", "chain"]);
    expect(() => parseSuites("libero90")).toThrow(/unknown suite "libero90"/);
  });
  it("builds seeded jobs in suite, task, trial order", () => {
    const jobs = buildJobs({ suites: ["goal", "chain"], tasks: [2, 7], trials: 3, mediaTrials: 1 });
    expect(jobs.map((j) => [j.suite, "task" in j ? j.task : -1, j.trial])).toEqual([
      ["goal", 2, 0], ["goal", 2, 1], ["goal", 2, 2], ["goal", 7, 0], ["goal", 7, 1], ["goal", 7, 2],
      ["chain", -1, 0], ["chain", -1, 1], ["chain", -1, 2],
    ]);
    expect(jobs.filter((j) => j.media).length).toBe(3);
    expect(new Set(jobs.map((j) => j.seed)).size).toBe(jobs.length);
    expect(buildJobs({ suites: ["goal"], tasks: [2], trials: 3 }).map((j) => j.seed)).toEqual(jobs.slice(0, 3).map((j) => j.seed));
    expect(() => buildJobs({ suites: ["goal"], trials: 51 })).toThrow(/50 fixed initial states/);
    expect(() => buildJobs({ suites: ["goal"], tasks: [10], trials: 1 })).toThrow(/task 10 does not exist/);
  });
});
