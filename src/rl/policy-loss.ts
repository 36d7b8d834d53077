// ref: EasyR1 b44b311 verl/trainer/core_algos.py compute_policy_loss (loss_type "default"),
// compute_kl, average_loss; verl/workers/actor/dp_actor.py update_policy
// (reference/grpo.md formulas (8), (9), (10), (11), (12), (13); quirks Q2, Q3)
//
// Everything is float64 and works on flat [batch*seqLen] arrays. Besides the loss and EasyR1's
// metrics it returns d loss / d log π per token, so a model only has to backpropagate those
// per-token gradients through its log-softmax. Masked positions are skipped (EasyR1 multiplies
// them by 0, so garbage there changes nothing unless it is NaN or infinite; here it never enters).

import { RlInputError, checkLength, checkShape } from "./errors.js";
import { KL_PENALTIES, klEstimate, klEstimateGrad, type KlPenalty } from "./kl.js";
import { aggregationWeights, maskedMean, type LossAvgMode } from "./aggregation.js";

export interface PolicyLossConfig {
  /** ε_l: ρ̃ ≥ 1 − ε_l. */
  clipRatioLow: number;
  /** ε_h: ρ̃ ≤ 1 + ε_h (DAPO clip-higher). */
  clipRatioHigh: number;
  /** c of the dual clip, applied to tokens with Â < 0. */
  clipRatioDual: number;
  /** β. */
  klCoef: number;
  klPenalty: KlPenalty;
  /** KL as a loss term (EasyR1 default); false = KL in the reward (see applyKlPenalty) or no KL. */
  useKlLoss: boolean;
  lossAvgMode: LossAvgMode;
}

/** EasyR1 examples/config.yaml. */
export const EASYR1_DEFAULTS: PolicyLossConfig = Object.freeze({
  clipRatioLow: 0.2,
  clipRatioHigh: 0.3,
  clipRatioDual: 3.0,
  klCoef: 0.01,
  klPenalty: "low_var_kl",
  useKlLoss: true,
  lossAvgMode: "token",
}) as PolicyLossConfig;

export interface PolicyLossInput {
  batch: number;
  seqLen: number;
  /** log π_θ, [batch*seqLen]. */
  logprobs: ArrayLike<number>;
  /** log π_old, [batch*seqLen]. */
  oldLogprobs: ArrayLike<number>;
  /** log π_ref, [batch*seqLen]; required when useKlLoss. */
  refLogprobs?: ArrayLike<number>;
  /** Â_{i,t}, per token [batch*seqLen]. */
  advantages: ArrayLike<number>;
  mask: ArrayLike<number>;
  /**
   * normaliser for token mode; default = sum(mask) (pass the whole mini-batch's token count when
   * this is one micro-batch of it, formula (13)). With W data-parallel ranks whose gradients
   * are averaged (FSDP), pass T_all / W, T_all the token count over all ranks, as EasyR1 scales
   * by Σm·W/T_all.
   */
  tokenNormalizer?: number;
}

export interface PolicyLossResult {
  /**
   * The value to backpropagate: L = A(ℓ) + β·A(k) (β term only with useKlLoss). With
   * tokenNormalizer T it is this micro-batch's share L·(Σ m)/T (formula (13)): in token mode the
   * shares of a mini-batch's micro-batches add up to the mini-batch token mean; in seq mode they
   * add up to a token-weighted mean of per-micro-batch seq means, not the mini-batch seq mean (Q3).
   */
  loss: number;
  /** A(ℓ) over this call's rows (unscaled), EasyR1 `actor/pg_loss`. */
  pgLoss: number;
  /** A(k) over this call's rows (unscaled), EasyR1 `actor/kl_loss`; 0 when useKlLoss is false. */
  klLoss: number;
  /** masked mean of log π_old − log π_θ. */
  ppoKl: number;
  /** A(−log π_θ) in the loss mode (a metric only; there is no entropy term in the loss). */
  entropyLoss: number;
  /** masked mean of [−Â·ρ < −Â·ρ̃]: tokens whose ratio the ε clip bounds. */
  clipfracHigher: number;
  /** masked mean of [max(−Â·ρ, −Â·ρ̃) > −Â·c]·[Â < 0]: tokens the dual clip bounds. */
  clipfracLower: number;
  /** d loss / d logprobs, [batch*seqLen], 0 off-mask */
  gradLogprobs: Float64Array;
}

/** Clamp of the log-ratio before exp (EasyR1: keeps exp finite and its gradient non-NaN). */
const LOG_RATIO_CLAMP = 20;

export interface PpoTokenTerms {
  /** ρ = exp(clamp(δ, −20, 20)). */
  ratio: number;
  /** ℓ of formula (9). */
  loss: number;
  /** d ℓ / d log π_θ. */
  grad: number;
  clippedHigher: boolean;
  clippedLower: boolean;
}

/** d max(a, b): the larger side's derivative, half of each on a tie (torch's maximum/minimum backward). */
function pick(a: number, b: number, da: number, db: number, larger: boolean): number {
  if (a === b) return (da + db) / 2;
  return (a > b) === larger ? da : db;
}

/** Dual-clip PPO loss of one token (formulas (8), (9)) and its derivative. */
export function ppoTokenLoss(logp: number, oldLogp: number, advantage: number, config: Pick<PolicyLossConfig, "clipRatioLow" | "clipRatioHigh" | "clipRatioDual">): PpoTokenTerms {
  const delta = logp - oldLogp;
  const lo = Math.log(1 - config.clipRatioLow);
  const hi = Math.log(1 + config.clipRatioHigh);
  const ratio = Math.exp(Math.min(Math.max(delta, -LOG_RATIO_CLAMP), LOG_RATIO_CLAMP));
  const dRatio = delta >= -LOG_RATIO_CLAMP && delta <= LOG_RATIO_CLAMP ? ratio : 0;
  const clipped = Math.exp(Math.min(Math.max(delta, lo), hi));
  const dClipped = delta >= lo && delta <= hi ? clipped : 0;
  const a = advantage;
  const pg1 = -a * ratio;
  const pg2 = -a * clipped;
  const pg3 = -a * config.clipRatioDual;
  const higher = Math.max(pg1, pg2);
  const dHigher = pick(pg1, pg2, -a * dRatio, -a * dClipped, true);
  const clippedHigher = pg1 < pg2;
  if (a < 0) {
    const loss = Math.min(higher, pg3);
    return { ratio, loss, grad: pick(higher, pg3, dHigher, 0, false), clippedHigher, clippedLower: higher > pg3 };
  }
  return { ratio, loss: higher, grad: dHigher, clippedHigher, clippedLower: false };
}

function resolveConfig(config: Partial<PolicyLossConfig>): PolicyLossConfig {
  const c = { ...EASYR1_DEFAULTS, ...config };
  for (const k of ["clipRatioLow", "clipRatioHigh", "clipRatioDual", "klCoef"] as const) {
    if (typeof c[k] !== "number" || !Number.isFinite(c[k])) throw new RlInputError(`policy loss config ${k} = ${c[k]} is not a finite number`);
  }
  if (c.clipRatioLow < 0 || c.clipRatioLow >= 1) throw new RlInputError(`clipRatioLow ${c.clipRatioLow} must lie in [0, 1) (the ratio is clipped below at 1 − clipRatioLow)`);
  if (c.clipRatioHigh < 0) throw new RlInputError(`clipRatioHigh ${c.clipRatioHigh} must be ≥ 0`);
  if (!KL_PENALTIES.includes(c.klPenalty)) throw new RlInputError(`unknown klPenalty "${c.klPenalty}"; use one of ${KL_PENALTIES.join(", ")}`);
  if (c.lossAvgMode !== "token" && c.lossAvgMode !== "seq") throw new RlInputError(`unknown lossAvgMode "${c.lossAvgMode}"; use "token" or "seq"`);
  return c;
}

/** EasyR1's actor loss of one micro-batch (formulas (8)–(13)), its metrics and d loss / d log π. */
export function policyLoss(input: PolicyLossInput, config: Partial<PolicyLossConfig> = {}): PolicyLossResult {
  const c = resolveConfig(config);
  const { batch, seqLen, logprobs, oldLogprobs, refLogprobs, advantages, mask } = input;
  checkShape(batch, seqLen);
  const n = batch * seqLen;
  const shape = `batch ${batch} × seqLen ${seqLen}`;
  checkLength("logprobs", logprobs, n, shape);
  checkLength("oldLogprobs", oldLogprobs, n, shape);
  checkLength("advantages", advantages, n, shape);
  checkLength("mask", mask, n, shape);
  if (c.useKlLoss) {
    if (refLogprobs === undefined) throw new RlInputError("useKlLoss is true but refLogprobs is missing; pass the reference model's log-probs, or set useKlLoss false (KL in the reward, or no KL)");
    checkLength("refLogprobs", refLogprobs, n, shape);
  }

  let tokens = 0;
  for (let j = 0; j < n; j++) tokens += mask[j];
  let scale = 1;
  if (input.tokenNormalizer !== undefined) {
    const T = input.tokenNormalizer;
    if (!Number.isFinite(T) || T <= 0) throw new RlInputError(`tokenNormalizer ${T} must be a positive number (the mini-batch's total response tokens over all micro-batches and ranks)`);
    scale = tokens / T;
  }

  const w = aggregationWeights(mask, batch, seqLen, c.lossAvgMode);
  const grad = new Float64Array(n);
  const negDelta = new Float64Array(n);
  const higher = new Float64Array(n);
  const lower = new Float64Array(n);
  let pgLoss = 0;
  let klLoss = 0;
  let entropyLoss = 0;
  for (let j = 0; j < n; j++) {
    if (mask[j] === 0) continue;
    const lp = logprobs[j];
    const t = ppoTokenLoss(lp, oldLogprobs[j], advantages[j], c);
    pgLoss += w[j] * t.loss;
    entropyLoss -= w[j] * lp;
    let g = t.grad;
    if (c.useKlLoss) {
      const ref = (refLogprobs as ArrayLike<number>)[j];
      klLoss += w[j] * klEstimate(lp, ref, c.klPenalty);
      g += c.klCoef * klEstimateGrad(lp, ref, c.klPenalty);
    }
    grad[j] = scale * w[j] * g;
    negDelta[j] = oldLogprobs[j] - lp;
    higher[j] = t.clippedHigher ? 1 : 0;
    lower[j] = t.clippedLower ? 1 : 0;
  }
  const unscaled = c.useKlLoss ? pgLoss + c.klCoef * klLoss : pgLoss;
  return {
    loss: unscaled * scale,
    pgLoss,
    klLoss,
    ppoKl: maskedMean(negDelta, mask),
    entropyLoss,
    clipfracHigher: maskedMean(higher, mask),
    clipfracLower: maskedMean(lower, mask),
    gradLogprobs: grad,
  };
}
