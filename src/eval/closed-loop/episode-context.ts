// Privileged per-episode facts a policy factory may read: the scripted expert (src/sim/expert.ts) plans
// from true object poses, so it needs the live env and the current (sub)task's plan.
import type { PlanOp } from "../../sim/expert.js";
import type { RobotEnv } from "../../sim/robot-env.js";

/**
 * One per runner (thread), updated before every episode and chain subtask, before `policy.reset()`.
 * Learned policies should ignore it: everything they may use arrives through `infer(obs)`.
 */
export class EpisodeContext {
  /** Bumped on every (sub)task start, so a policy can tell a new plan from the same one. */
  generation = 0;
  plan: readonly PlanOp[] = [];
  instruction = "";
  /** Deterministic per episode; stochastic policies can seed their sampler from it. */
  episodeSeed = 0;

  constructor(readonly env: RobotEnv) {}

  begin(plan: readonly PlanOp[], instruction: string, episodeSeed: number): void {
    this.plan = plan;
    this.instruction = instruction;
    this.episodeSeed = episodeSeed;
    this.generation++;
  }
}
