// ref: EasyR1 b44b311 verl/trainer/core_algos.py compute_kl (reference/grpo.md formula (10), Q4)
//
// Per-token KL estimators between a policy's log-prob and the reference's, and their derivative
// with respect to the policy log-prob. Computed in float64; EasyR1 casts to float32 first (Q4),
// which moves KL-in-reward advantages by ≈1e-8.

export type KlPenalty = "low_var_kl" | "kl" | "abs" | "mse";

export const KL_PENALTIES: readonly KlPenalty[] = ["low_var_kl", "kl", "abs", "mse"];

/** Clamp of the log-ratio inside k3 and of k3 itself (EasyR1 constants). */
const K3_INNER_CLAMP = 20;
const K3_OUTER_CLAMP = 10;

/** k(log π, log π_ref) for one token. */
export function klEstimate(logp: number, refLogp: number, penalty: KlPenalty): number {
  switch (penalty) {
    case "kl":
      return logp - refLogp;
    case "abs":
      return Math.abs(logp - refLogp);
    case "mse":
      return 0.5 * (logp - refLogp) ** 2;
    case "low_var_kl": {
      // k3 = e^x − x − 1 with x = log π_ref − log π (Schulman 2020), clamped for stability.
      const x = Math.min(Math.max(refLogp - logp, -K3_INNER_CLAMP), K3_INNER_CLAMP);
      const k = Math.exp(x) - x - 1;
      return Math.min(Math.max(k, -K3_OUTER_CLAMP), K3_OUTER_CLAMP);
    }
  }
}

/**
 * d k / d log π for one token, with torch's autograd conventions: a clamp passes the gradient
 * only where its input lies inside [min, max] (bounds included), and |x|' = sign(x) with 0 at 0.
 */
export function klEstimateGrad(logp: number, refLogp: number, penalty: KlPenalty): number {
  switch (penalty) {
    case "kl":
      return 1;
    case "abs":
      return Math.sign(logp - refLogp);
    case "mse":
      return logp - refLogp;
    case "low_var_kl": {
      const xRaw = refLogp - logp;
      if (xRaw < -K3_INNER_CLAMP || xRaw > K3_INNER_CLAMP) return 0;
      const k = Math.exp(xRaw) - xRaw - 1;
      if (k < -K3_OUTER_CLAMP || k > K3_OUTER_CLAMP) return 0;
      // dk/dx = e^x − 1 and dx/dlog π = −1.
      return 1 - Math.exp(xRaw);
    }
  }
}
