// Action chunks of an episode: the H actions from step t, padded with the last action at the end
// of the episode (the usual convention of chunked policies, e.g. openpi / LeRobot's
// action_chunk with padding by repetition).
import type { ActionChunk } from "../../fast/chunk.js";

export function actionChunkAt(actions: Float64Array, actionDim: number, steps: number, t: number, horizon: number): ActionChunk {
  const data = new Float64Array(horizon * actionDim);
  for (let k = 0; k < horizon; k++) {
    const s = Math.min(t + k, steps - 1);
    data.set(actions.subarray(s * actionDim, (s + 1) * actionDim), k * actionDim);
  }
  return { horizon, dim: actionDim, data };
}
