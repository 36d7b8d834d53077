// Simulator observation → policy observation, in the layout the sim datasets record (src/data/sim-episode.ts).
import type { Observation } from "../../sim/robot-env.js";
import type { PolicyObservation } from "../../vla/policy.js";

/** Proprio length: ee position 3, ee quaternion (w, x, y, z) 4, finger opening 1 (SIM_STATE_NAMES). */
export const SIM_STATE_DIM = 8;

/**
 * Camera names match the dataset episodes (`image` = front, `wrist_image`), so a policy trained on
 * recorded sim data sees the same keys. Without rendering the env's image buffers are blank, so no
 * images are passed rather than black frames a policy could mistake for real input.
 */
export function toPolicyObservation(obs: Observation, instruction: string, rendered: boolean): PolicyObservation {
  const state = new Float64Array(SIM_STATE_DIM);
  state.set(obs.eePos, 0);
  state.set(obs.eeQuat, 3);
  state[7] = obs.gripper;
  const images: PolicyObservation["images"] = rendered
    ? {
        image: { data: obs.frontRgb, height: obs.height, width: obs.width },
        wrist_image: { data: obs.wristRgb, height: obs.height, width: obs.width },
      }
    : {};
  return { images, state, instruction };
}
