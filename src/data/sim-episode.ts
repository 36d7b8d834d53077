// Simulator rollouts as dataset episodes, so the LeRobot writer (and every consumer of the
// episode interface) takes them. State = end-effector position (3) + orientation quaternion
// w, x, y, z (4) + finger opening (1), the LIBERO-style proprioception of this world. The scene
// ground truth (object poses, cameras, plan progress) rides along for spatial VQA and grounding.
import type { Episode as SimEpisode } from "../sim/rollout.js";
import { cameraStream, type Episode } from "./episode.js";

export const SIM_STATE_NAMES = ["ee_pos.x", "ee_pos.y", "ee_pos.z", "ee_quat.w", "ee_quat.x", "ee_quat.y", "ee_quat.z", "gripper"];

export function simToEpisode(ep: SimEpisode, id: string, suite: string, index: number): Episode {
  const n = ep.steps;
  const states = new Float64Array(n * 8);
  for (let t = 0; t < n; t++) {
    for (let k = 0; k < 3; k++) states[t * 8 + k] = ep.eePos[t * 3 + k];
    for (let k = 0; k < 4; k++) states[t * 8 + 3 + k] = ep.eeQuat[t * 4 + k];
    states[t * 8 + 7] = ep.gripper[t];
  }
  const frameBytes = ep.height * ep.width * 3;
  const camera = (rgb: Uint8Array) =>
    cameraStream(n, ep.height, ep.width, async (i) => ({ height: ep.height, width: ep.width, channels: 3, data: rgb.subarray(i * frameBytes, (i + 1) * frameBytes) }));
  return {
    id,
    instruction: ep.instruction,
    steps: n,
    actions: Float64Array.from(ep.actions),
    actionDim: 7,
    states,
    stateDim: 8,
    stateNames: SIM_STATE_NAMES,
    images: { image: camera(ep.frontRgb), wrist_image: camera(ep.wristRgb) },
    success: ep.success,
    // Same layout as SceneTruth; camera names match `images` above.
    scene: ep.scene,
    source: { format: "sim", path: `sim:${suite}`, index },
  };
}
