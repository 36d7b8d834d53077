// ref: EasyR1 b44b311 verl/workers/reward/config.py, function.py (reward_function=path:fn with
// reward_function_kwargs, reference/grpo.md §4.1), as a registry keyed by name
//
// Built-in entries: `roboalign`. The high-level-action MCQ and 2-D trajectory rewards of RoboAlign
// are meant to be added as further entries with registerReward.

import { RlInputError } from "../errors.js";
import type { RewardContext, RewardFactory, RewardFunction, RewardScore } from "./context.js";
import { createRoboAlignReward } from "./roboalign.js";

const factories = new Map<string, RewardFactory>([["roboalign", createRoboAlignReward]]);

/** Adds a reward under `name`; an existing name is an error unless `replace` is set. */
export function registerReward(name: string, factory: RewardFactory, options: { replace?: boolean } = {}): void {
  if (typeof name !== "string" || name.length === 0) throw new RlInputError("a reward name must be a non-empty string");
  if (typeof factory !== "function") throw new RlInputError(`reward "${name}": factory must be a function (ctx, options) => RewardFunction`);
  if (factories.has(name) && !options.replace) throw new RlInputError(`a reward named "${name}" is already registered; pick another name or pass { replace: true }`);
  factories.set(name, factory);
}

/** Builds the reward registered under `name`. */
export function createReward<G = unknown, S extends RewardScore = RewardScore>(name: string, ctx: RewardContext, options: Record<string, unknown> = {}): RewardFunction<G, S> {
  const factory = factories.get(name);
  if (!factory) throw new RlInputError(`no reward named "${name}"; registered: ${rewardNames().join(", ")}`);
  return factory(ctx, options) as RewardFunction<G, S>;
}

/** Registered reward names, sorted. */
export function rewardNames(): string[] {
  return [...factories.keys()].sort();
}
