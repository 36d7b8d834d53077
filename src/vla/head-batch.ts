// Frames → one ActionHeadBatch: features right-padded to the longest row with a key mask (the head
// runs with useVlMask), normalised states and action chunks at the data's widths (the native head
// zero-pads them to maxStateDim / actionDim and masks the padded action dims in the loss).
import type { ActionHeadBatch } from "../native/contract.js";
import type { VlFeatures } from "./backbone.js";
import { normalize, type NormalizationStats } from "./normalizer.js";

export interface HeadRows {
  features: VlFeatures[];
  /** [rows × stateDim] raw. */
  states: ArrayLike<number>;
  stateDim: number;
  /** [rows × horizon × actionDim] raw; absent at inference. */
  chunks?: ArrayLike<number>;
}

export function headBatch(rows: HeadRows, dim: number, stats: NormalizationStats): ActionHeadBatch {
  const B = rows.features.length;
  const L = Math.max(...rows.features.map((f) => f.tokens));
  const features = new Float32Array(B * L * dim);
  const attentionMask = new Uint8Array(B * L);
  rows.features.forEach((f, b) => {
    features.set(f.data, b * L * dim);
    attentionMask.fill(1, b * L, b * L + f.tokens);
  });
  const state = new Float32Array(B * rows.stateDim);
  normalize(rows.states, stats.state, stats.mode, state);
  const batch: ActionHeadBatch = { batch: B, vlLen: L, features, attentionMask, state, embodimentId: 0 };
  if (rows.chunks) {
    const actions = new Float32Array(rows.chunks.length);
    normalize(rows.chunks, stats.action, stats.mode, actions);
    batch.actions = actions;
  }
  return batch;
}
