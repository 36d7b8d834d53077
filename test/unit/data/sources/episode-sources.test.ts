// Samples generated from simulator episodes: FAST action QA decodes back to the episode's own
// actions, robot QA states the recorded end-effector motion, GRPO prompts carry the targets.
import { describe, expect, it } from "vitest";
import { FastCodec } from "../../../../src/fast/codec.js";
import { fitFast } from "../../../../src/fast/fit.js";
import { parseActionText } from "../../../../src/fast/action-vocab.js";
import { actionChunkAt, fastActionQa, movementWords, rlPrompts, robotQa, RL_SYSTEM_PROMPT } from "../../../../src/data/sources/index.js";
import { simToEpisode } from "../../../../src/data/sim-episode.js";
import { RobotEnv } from "../../../../src/sim/robot-env.js";
import { rollout } from "../../../../src/sim/rollout.js";
import { suite } from "../../../../src/sim/tasks.js";

describe("episode sources", () => {
  it("turn an expert episode into FAST QA, robot QA and GRPO prompts", async () => {
    const env = await RobotEnv.create({ imageSize: 32 });
    const task = suite("spatial")[0];
    const sim = rollout(env, task, task.initSeeds[0]);
    env.dispose();
    expect(sim.success).toBe(true);
    const ep = simToEpisode(sim, "episode_000000", "spatial", 0);
    const H = 10;
    const chunks = Array.from({ length: ep.steps }, (_, t) => actionChunkAt(ep.actions, 7, ep.steps, t, H));
    const codec = new FastCodec(fitFast(chunks, { vocabSize: 300, scale: 10 }).processor);

    const qa = await fastActionQa(ep, { codec, horizon: H, stride: 7 });
    expect(qa).toHaveLength(Math.ceil(ep.steps / 7));
    expect(qa[0].messages[1].content).toEqual([{ type: "image" }, { type: "text", text: `Your current task is ${task.language}. Output the robot's actions to perform this task through Fast tokens.` }]);
    expect(qa[0].images[0]).toMatchObject({ height: 32, width: 32 });
    // The answer's action tokens decode to the episode's own next chunk (up to FAST's quantization).
    const parsed = parseActionText(qa[1].messages[2].content as string);
    expect(parsed.status).toBe("ok");
    const decoded = codec.decode(parsed.fastIds, { horizon: H, dim: 7 });
    const truth = actionChunkAt(ep.actions, 7, ep.steps, 7, H).data;
    decoded.actions.data.forEach((x, i) => expect(Math.abs(x - truth[i])).toBeLessThan(0.1));

    const rl = await rlPrompts(ep, { codec, horizon: H, stride: 7 });
    expect(rl[1].messages[0].content).toBe(RL_SYSTEM_PROMPT);
    expect(rl[1].targetFastIds).toEqual(parsed.fastIds);

    const robot = await robotQa(ep, { stride: 10, lookahead: 5 });
    expect(robot).toHaveLength(3 * Math.ceil(ep.steps / 10));
    const state0 = ep.states!.subarray(0, 8);
    const state5 = ep.states!.subarray(5 * 8, 6 * 8);
    expect(robot[0].messages[1].content).toBe(movementWords(state0, state5));
    expect(robot[1].messages[1].content).toBe(`[${Array.from(state0, (x) => x.toFixed(3)).join(", ")}]`);
  });

  it("names the dominant motion", () => {
    expect(movementWords([0, 0, 0], [0.05, 0.01, 0])).toBe("move forward");
    expect(movementWords([0, 0, 0], [0, -0.03, 0.01])).toBe("move left");
    expect(movementWords([0, 0, 0.2], [0, 0, 0.1])).toBe("move down");
    expect(movementWords([0, 0, 0], [0.001, 0, 0])).toBe("stay");
  });
});
