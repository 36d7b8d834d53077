// ref: EasyR1 b44b311 verl/workers/reward/function.py (score placement), verl/trainer/ray_trainer.py
// apply_kl_penalty, verl/trainer/core_algos.py compute_grpo_outcome_advantage (row sum)
// (reference/grpo.md formulas (3), (4), (5))

import { RlInputError, checkLength, checkShape } from "./errors.js";
import { KL_PENALTIES, klEstimate, type KlPenalty } from "./kl.js";

/**
 * token_level_scores (formula (3)): each response's scalar score on its last valid token
 * (index len_i − 1, the EOS when there is one), 0 elsewhere. A response of length 0 gets nothing.
 */
export function placeScoresOnLastToken(scores: ArrayLike<number>, lengths: ArrayLike<number>, seqLen: number): Float64Array {
  checkShape(scores.length, seqLen);
  checkLength("lengths", lengths, scores.length, "one per response");
  const out = new Float64Array(scores.length * seqLen);
  for (let i = 0; i < scores.length; i++) {
    const len = lengths[i];
    if (!Number.isInteger(len) || len < 0 || len > seqLen) throw new RlInputError(`length ${len} of response ${i} is outside [0, ${seqLen}]`);
    if (len > 0) out[i * seqLen + len - 1] = scores[i];
  }
  return out;
}

export interface KlPenaltyInput {
  batch: number;
  seqLen: number;
  tokenLevelScores: ArrayLike<number>;
  /** log π_old (the policy that generated the rollout, recomputed by the actor). */
  oldLogprobs: ArrayLike<number>;
  refLogprobs: ArrayLike<number>;
  mask: ArrayLike<number>;
}

export interface KlPenaltyResult {
  /** token_level_rewards = token_level_scores − β·k(old, ref)·m. */
  tokenLevelRewards: Float64Array;
  /** mean over responses of the per-response masked-mean KL (EasyR1 logs it as `actor/reward_kl_penalty`). */
  currentKl: number;
}

/**
 * KL in the reward (formula (4)), used only when the KL is not in the loss (`useKlLoss = false`).
 * Masked positions are left untouched (their garbage log-probs never enter).
 */
export function applyKlPenalty(input: KlPenaltyInput, klCoef: number, klPenalty: KlPenalty): KlPenaltyResult {
  const { batch, seqLen } = input;
  checkShape(batch, seqLen);
  const n = batch * seqLen;
  const shape = `batch ${batch} × seqLen ${seqLen}`;
  checkLength("tokenLevelScores", input.tokenLevelScores, n, shape);
  checkLength("oldLogprobs", input.oldLogprobs, n, shape);
  checkLength("refLogprobs", input.refLogprobs, n, shape);
  checkLength("mask", input.mask, n, shape);
  if (!Number.isFinite(klCoef)) throw new RlInputError(`klCoef ${klCoef} is not a finite number`);
  if (!KL_PENALTIES.includes(klPenalty)) throw new RlInputError(`unknown klPenalty "${klPenalty}"; use one of ${KL_PENALTIES.join(", ")}`);
  const out = Float64Array.from(input.tokenLevelScores);
  let klSum = 0;
  for (let i = 0; i < batch; i++) {
    let rowKl = 0;
    let rowMask = 0;
    for (let t = 0; t < seqLen; t++) {
      const j = i * seqLen + t;
      const m = input.mask[j];
      if (m === 0) continue;
      const k = klEstimate(input.oldLogprobs[j], input.refLogprobs[j], klPenalty) * m;
      out[j] -= klCoef * k;
      rowKl += k;
      rowMask += m;
    }
    klSum += rowKl / (rowMask + 1e-8);
  }
  return { tokenLevelRewards: out, currentKl: batch > 0 ? klSum / batch : 0 };
}

/**
 * Outcome score s_i = Σ_t token_level_rewards (formula (5)). In "float32" the sum accumulates in
 * float32 from left to right, which is what torch does on CPU for a row shorter than one SIMD
 * vector and exact whenever only one token is non-zero (the default, KL in the loss); for long
 * rows with KL in the reward torch sums lane-wise and may differ by an ulp.
 */
export function outcomeScores(tokenLevelRewards: ArrayLike<number>, batch: number, seqLen: number, precision: "float32" | "float64" = "float64"): Float64Array {
  checkShape(batch, seqLen);
  checkLength("tokenLevelRewards", tokenLevelRewards, batch * seqLen, `batch ${batch} × seqLen ${seqLen}`);
  const f = precision === "float32" ? Math.fround : (x: number) => x;
  const out = new Float64Array(batch);
  for (let i = 0; i < batch; i++) {
    let s = 0;
    for (let t = 0; t < seqLen; t++) s = f(s + f(tokenLevelRewards[i * seqLen + t]));
    out[i] = s;
  }
  return out;
}
