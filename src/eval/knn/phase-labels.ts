// ref: RoboAlign Appendix B.1 (Table 9): "We assign each timestep to 32 classes using Dynamic Time
// Warping (DTW) over robot states." The paper leaves the construction open; ours:
//  1. states are standardised per dimension over all selected trajectories (dtw.ts `standardize`);
//  2. the reference is the DTW medoid: the trajectory with the smallest summed DTW distance to the
//     others (ties → lowest index), so phases follow a typical demonstration, not an outlier;
//  3. reference step t of T_ref gets class floor(t·K / T_ref): K phases of equal duration;
//  4. every other trajectory is DTW-aligned to the reference and each of its steps takes the class of
//     the reference step it is matched to; a step matched to several reference steps takes the one
//     with the smallest local cost (ties → earliest). The reference keeps its own classes (identity
//     path), because a standing-still robot would let DTW match it to other, equally cheap steps.
import { dtw, rowDistance, standardize } from "./dtw.js";

export interface PhaseLabels {
  /** Index of the reference (medoid) trajectory. */
  reference: number;
  /** One class id in [0, classes) per step of each trajectory. */
  labels: Int32Array[];
}

/** Index of the sequence with the smallest summed DTW distance to all others (ties → lowest index). */
export function dtwMedoid(z: readonly Float64Array[], dim: number): number {
  const N = z.length;
  const sum = new Float64Array(N);
  for (let a = 0; a < N; a++) {
    for (let b = a + 1; b < N; b++) {
      // Euclidean-cost DTW is symmetric, so each pair is computed once.
      const d = dtw(z[a], z[b], dim).distance;
      sum[a] += d;
      sum[b] += d;
    }
  }
  let best = 0;
  for (let a = 1; a < N; a++) if (sum[a] < sum[best]) best = a;
  return best;
}

/** Phase classes of every step of every trajectory (see the header for the definition). */
export function phaseLabels(states: readonly Float64Array[], dim: number, classes: number): PhaseLabels {
  if (!states.length) throw new RangeError("phase labels need at least one trajectory");
  if (!(Number.isInteger(classes) && classes >= 1)) throw new RangeError(`the number of phase classes must be a positive integer, got ${classes}`);
  const z = standardize(states, dim);
  const reference = dtwMedoid(z, dim);
  const ref = z[reference];
  const T = ref.length / dim;
  if (T < classes) {
    throw new RangeError(`the reference trajectory has ${T} steps, fewer than ${classes} phase classes: lower --classes to at most ${T}`);
  }
  const refClass = (t: number) => Math.floor((t * classes) / T);
  const labels = z.map((x, j) => {
    const n = x.length / dim;
    const out = new Int32Array(n);
    if (j === reference) {
      for (let t = 0; t < n; t++) out[t] = refClass(t);
      return out;
    }
    const bestCost = new Float64Array(n).fill(Infinity);
    // The path visits reference steps in increasing order for a fixed i, so a strict `<` keeps the
    // earliest of equally cheap matches.
    for (const [i, r] of dtw(x, ref, dim).path) {
      const c = rowDistance(x, i, ref, r, dim);
      if (c < bestCost[i]) {
        bestCost[i] = c;
        out[i] = refClass(r);
      }
    }
    return out;
  });
  return { reference, labels };
}
