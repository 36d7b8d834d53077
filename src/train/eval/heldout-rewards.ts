// Held-out reward of a policy: greedy responses to held-out RL prompts, scored by the RL reward
// (for `roboalign`: format, FAST prefix accuracy and their mean). Greedy decoding makes the
// number a property of the weights, comparable before and after RL.
import type { RewardFunction, RewardScore } from "../../rl/reward/context.js";
import { encodePrompt, type PromptLike } from "../grpo/prompt-tensors.js";
import { rollout } from "../grpo/rollout.js";
import type { Workspace } from "../model-workspace.js";

export interface HeldoutReward {
  prompts: number;
  reward: number;
  format: number;
  accuracy: number;
  /** Standard error of the mean reward over prompts. */
  rewardSem: number;
  responseLength: number;
}

export async function heldoutRewards<G>(ws: Workspace, prompts: (PromptLike & { groundTruth: G })[], reward: RewardFunction<G, RewardScore>, maxNewTokens: number): Promise<HeldoutReward> {
  const scores: RewardScore[] = [];
  let length = 0;
  for (let s = 0; s < prompts.length; s += 32) {
    const part = prompts.slice(s, s + 32);
    const encoded = await Promise.all(part.map((p) => encodePrompt(ws, p)));
    const r = await rollout(ws, encoded, { samplesPerPrompt: 1, temperature: 0, topP: 1, maxNewTokens, seed: 0 });
    r.responses.forEach((ids, i) => {
      length += ids.length;
      scores.push(reward.score({ responseIds: ids, groundTruth: part[i].groundTruth }));
    });
  }
  const n = scores.length;
  const mean = (f: (s: RewardScore) => number) => (n ? scores.reduce((a, s) => a + f(s), 0) / n : 0);
  const m = mean((s) => s.overall);
  const variance = n > 1 ? scores.reduce((a, s) => a + (s.overall - m) ** 2, 0) / (n - 1) : 0;
  return { prompts: n, reward: m, format: mean((s) => s.format), accuracy: mean((s) => s.accuracy), rewardSem: n ? Math.sqrt(variance / n) : 0, responseLength: n ? length / n : 0 };
}
