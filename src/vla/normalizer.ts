// ref: Isaac-GR00T gr00t/data/transform/state_action.py (StateActionTransform: min_max to [-1, 1],
// a dimension with min = max maps to 0; mean_std) and shared/reference/action-head.md §8 step 6–7, I4.
// Statistics are computed once over the training frames and saved with the policy.
import { vectorStats as rowStats } from "../data/lerobot/stats.js";

export type NormalizationMode = "min_max" | "mean_std";

export interface VectorStats {
  min: number[];
  max: number[];
  mean: number[];
  std: number[];
}

export interface NormalizationStats {
  mode: NormalizationMode;
  state: VectorStats;
  action: VectorStats;
  /** Index of the gripper action when the data's gripper takes two values only: inference snaps it to them. */
  binaryGripper: { index: number; low: number; high: number } | null;
}

/** Per-dimension min/max/mean/std (population) over the rows of a [rows × dim] array. */
export function vectorStats(values: ArrayLike<number>, dim: number): VectorStats {
  const n = Math.floor(values.length / dim);
  if (n === 0) throw new Error("no frames to compute normalisation statistics from");
  const s = rowStats(values, n, dim);
  return { min: s.min as number[], max: s.max as number[], mean: s.mean as number[], std: s.std as number[] };
}

/** The last action dimension, when it only ever takes two values (an open/close gripper command). */
export function detectBinaryGripper(actions: ArrayLike<number>, dim: number): NormalizationStats["binaryGripper"] {
  const seen = new Set<number>();
  for (let i = dim - 1; i < actions.length; i += dim) {
    seen.add(actions[i]);
    if (seen.size > 2) return null;
  }
  if (seen.size !== 2) return null;
  const [low, high] = [...seen].sort((a, b) => a - b);
  return { index: dim - 1, low, high };
}

const EPS = 1e-8;

export function normalize(x: ArrayLike<number>, s: VectorStats, mode: NormalizationMode, out: Float32Array, offset = 0): void {
  const dim = s.min.length;
  for (let i = 0; i < x.length; i++) {
    const k = i % dim;
    let v: number;
    if (mode === "min_max") {
      const range = s.max[k] - s.min[k];
      v = range < EPS ? 0 : (2 * (x[i] - s.min[k])) / range - 1;
    } else {
      v = s.std[k] < EPS ? 0 : (x[i] - s.mean[k]) / s.std[k];
    }
    out[offset + i] = v;
  }
}

/** Inverse of `normalize` for one vector of width s.min.length (no clipping, as GR00T). */
export function denormalize(y: ArrayLike<number>, s: VectorStats, mode: NormalizationMode): Float64Array {
  const dim = s.min.length;
  const out = new Float64Array(dim);
  for (let k = 0; k < dim; k++) {
    out[k] = mode === "min_max" ? ((y[k] + 1) / 2) * (s.max[k] - s.min[k]) + s.min[k] : y[k] * s.std[k] + s.mean[k];
  }
  return out;
}
