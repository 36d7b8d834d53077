// Confidence intervals for the error bars: Wilson for rates (successes out of n), normal for means.

/** A closed interval [low, high]. */
export interface Interval {
  low: number;
  high: number;
}

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a rate `p` observed over `n` trials. Unlike p ± z·√(p(1-p)/n) it stays inside
 * [0, 1] and does not collapse to zero width at p = 0 or 1, which matters for the small episode counts of
 * success-rate evaluations.
 */
export function wilsonInterval(p: number, n: number, z = Z95): Interval {
  if (!(n > 0) || !Number.isFinite(p)) return { low: Number.NaN, high: Number.NaN };
  const q = Math.min(1, Math.max(0, p));
  const z2 = z * z;
  const centre = (q + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((q * (1 - q)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Normal-approximation interval for a mean of `n` values with sample standard deviation `std`. */
export function meanInterval(mean: number, std: number, n: number, z = Z95): Interval {
  if (!(n > 0) || !Number.isFinite(mean) || !Number.isFinite(std)) return { low: Number.NaN, high: Number.NaN };
  const half = (z * std) / Math.sqrt(n);
  return { low: mean - half, high: mean + half };
}
