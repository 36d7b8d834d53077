// Built-in policies for the closed-loop runner: the scripted expert (src/sim/expert.ts) behind the VLA
// Policy interface (src/vla/policy.ts), and the LIBERO no-op, a floor every learned policy must beat.
import { ScriptedExpert } from "../../sim/expert.js";
import type { Policy, PolicyObservation } from "../../vla/policy.js";
import type { EpisodeContext } from "./episode-context.js";
import { ENV_ACTION_DIM, NOOP_ACTION } from "./protocol.js";

/** Privileged: reads true poses from the context's env. Chunk horizon 1, i.e. closed loop every step. */
export class ExpertPolicy implements Policy {
  readonly actionDim = ENV_ACTION_DIM;
  readonly horizon = 1;
  private expert: ScriptedExpert | undefined;
  private generation = -1;

  constructor(private readonly ctx: EpisodeContext) {}

  reset(): void {
    this.expert = undefined;
  }

  async infer(_obs: PolicyObservation): Promise<Float64Array> {
    // A new (sub)task since the last plan means a fresh state machine, even if reset() was skipped.
    if (!this.expert || this.generation !== this.ctx.generation) {
      this.expert = new ScriptedExpert(this.ctx.plan);
      this.generation = this.ctx.generation;
    }
    return this.expert.act(this.ctx.env);
  }
}

/** Always LIBERO's no-op action: the arm holds still with the gripper open. */
export class NoopPolicy implements Policy {
  readonly actionDim = ENV_ACTION_DIM;
  readonly horizon = 1;
  async infer(_obs: PolicyObservation): Promise<Float64Array> {
    return Float64Array.from(NOOP_ACTION);
  }
}
