// What closed-loop evaluation and the policy server drive: observations in, a chunk of actions
// out. The VLA (frozen backbone + flow-matching action expert), the scripted expert and test
// policies all implement it.
import type { RgbImage } from "../vision/image-processor.js";

export interface PolicyObservation {
  /** Camera frames by name (the embedded world: `image` = front, `wrist_image`). */
  images: Record<string, RgbImage>;
  /** Proprioception, as the training data recorded it (the embedded world: ee pos 3, quat 4, gripper 1). */
  state: Float64Array;
  instruction: string;
}

export interface Policy {
  /** Dimension of one action (the embedded world: 7 = Δxyz, Δrpy, gripper). */
  readonly actionDim: number;
  /** Actions per inferred chunk. */
  readonly horizon: number;
  /** A chunk of `horizon × actionDim` actions, row-major, in the environment's action units. */
  infer(obs: PolicyObservation): Promise<Float64Array>;
  /** Called at the start of every episode. */
  reset?(): void;
  dispose?(): Promise<void>;
}
