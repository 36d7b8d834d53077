// ref: EasyR1 b44b311 verl/trainer/core_algos.py average_loss, verl/utils/torch_functional.py
// masked_mean (reference/grpo.md formula (11))
//
// Both modes are linear in the per-token values, so they are written as per-token weights w with
// A(v) = Σ w·v; the same weights give the gradient of A with respect to each token's value.

import { RlInputError } from "./errors.js";

export type LossAvgMode = "token" | "seq";

/** EasyR1's masked-mean epsilon. */
export const MASKED_MEAN_EPS = 1e-8;

/**
 * Per-token weights of the aggregation:
 * token: w = m / (Σ m + 1e-8) (a token mean over the whole batch);
 * seq:   w = m / (B · (Σ_t m_i + 1e-8)) (a mean over responses of each response's token mean;
 *        rows without tokens count in B).
 */
export function aggregationWeights(mask: ArrayLike<number>, batch: number, seqLen: number, mode: LossAvgMode): Float64Array {
  const w = new Float64Array(batch * seqLen);
  if (mode === "token") {
    let total = 0;
    for (let j = 0; j < batch * seqLen; j++) total += mask[j];
    const d = total + MASKED_MEAN_EPS;
    for (let j = 0; j < batch * seqLen; j++) w[j] = mask[j] / d;
    return w;
  }
  if (mode === "seq") {
    for (let i = 0; i < batch; i++) {
      let row = 0;
      for (let t = 0; t < seqLen; t++) row += mask[i * seqLen + t];
      const d = batch * (row + MASKED_MEAN_EPS);
      for (let t = 0; t < seqLen; t++) w[i * seqLen + t] = mask[i * seqLen + t] / d;
    }
    return w;
  }
  throw new RlInputError(`unknown loss average mode "${mode as string}"; use "token" or "seq"`);
}

/** Σ m·v / (Σ m + 1e-8): EasyR1's masked_mean, skipping masked positions so garbage there (even NaN) never enters. */
export function maskedMean(values: ArrayLike<number>, mask: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let j = 0; j < mask.length; j++) {
    const m = mask[j];
    if (m === 0) continue;
    num += m * values[j];
    den += m;
  }
  return num / (den + MASKED_MEAN_EPS);
}
