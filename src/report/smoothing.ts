// Moving-average smoothing for noisy per-step curves (loss, reward), skipping missing values.

/**
 * Centred moving average over `window` points (shrinking at the ends). Centred rather than trailing so
 * the smooth curve does not lag the raw one; NaN/±Infinity points are left out of every average, and an
 * output point is NaN only where its raw point is missing, so gaps in the data stay gaps.
 */
export function movingAverage(y: ArrayLike<number>, window: number): number[] {
  const n = y.length;
  const w = Math.max(1, Math.floor(window));
  const out = new Array<number>(n).fill(Number.NaN);
  if (w === 1) {
    for (let i = 0; i < n; i++) out[i] = Number.isFinite(y[i]) ? y[i] : Number.NaN;
    return out;
  }
  // Prefix sums over finite values make each window O(1).
  const sum = new Float64Array(n + 1);
  const cnt = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const ok = Number.isFinite(y[i]);
    sum[i + 1] = sum[i] + (ok ? y[i] : 0);
    cnt[i + 1] = cnt[i] + (ok ? 1 : 0);
  }
  const before = Math.floor((w - 1) / 2);
  const after = w - 1 - before;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) continue;
    const lo = Math.max(0, i - before);
    const hi = Math.min(n, i + after + 1);
    out[i] = (sum[hi] - sum[lo]) / (cnt[hi] - cnt[lo]);
  }
  return out;
}

/** A window that smooths step noise without hiding trends: about 1/25 of the curve, at most 200 points. */
export function autoWindow(points: number): number {
  return Math.min(200, Math.max(1, Math.round(points / 25)));
}
