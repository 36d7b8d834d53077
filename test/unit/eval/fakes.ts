// Test doubles for closed-loop evaluation: a policy that records what it is asked and returns fixed chunks.
import type { Policy, PolicyObservation } from "../../../src/vla/policy.js";

export class RecordingPolicy implements Policy {
  readonly actionDim = 7;
  readonly observations: PolicyObservation[] = [];
  resets = 0;

  constructor(readonly horizon: number) {}

  reset(): void {
    this.resets++;
  }

  async infer(obs: PolicyObservation): Promise<Float64Array> {
    this.observations.push(obs);
    // Row t of the chunk moves slightly along +x with t encoded in z, so executed actions can be told apart.
    const out = new Float64Array(this.horizon * 7);
    for (let t = 0; t < this.horizon; t++) {
      out[t * 7] = 0.01;
      out[t * 7 + 2] = 0.001 * (t + 1);
      out[t * 7 + 6] = -1;
    }
    return out;
  }
}
