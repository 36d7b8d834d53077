// Human-readable numbers for tables and chart labels: significant digits, percentages, durations.

/**
 * `value` to `digits` significant digits without trailing zeros: 2.3104 → "2.31", 0.5 → "0.5",
 * 1.9e-5 → "1.9e-5". Integers and values with more integer digits than `digits` print as whole numbers
 * (5400, 12346) because exponent form hides magnitude in a table; tiny and huge magnitudes use exponents.
 */
export function formatNumber(value: number, digits = 3): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "∞";
  if (value === -Infinity) return "-∞";
  if (value === 0) return "0";
  const a = Math.abs(value);
  if (a >= 1e15 || a < 1e-3) {
    const [m, e] = value.toExponential(Math.max(0, digits - 1)).split("e");
    return `${Number.parseFloat(m)}e${Number.parseInt(e, 10)}`;
  }
  if (Number.isInteger(value) || a >= 10 ** (digits - 1)) return String(Math.round(value));
  // toPrecision then parseFloat drops trailing zeros and any exponent toPrecision chose.
  return String(Number.parseFloat(value.toPrecision(digits)));
}

/** A rate in [0, 1] as a percentage: 0.4213 → "42.1%". */
export function formatPercent(rate: number, decimals = 1): string {
  if (!Number.isFinite(rate)) return formatNumber(rate);
  return `${(rate * 100).toFixed(decimals)}%`;
}

/** A signed difference, so improvements and regressions read at a glance: +0.12, -3.4, 0. */
export function formatDelta(value: number, digits = 3): string {
  const s = formatNumber(value, digits);
  return value > 0 ? `+${s}` : s;
}

/** Wall time: "850 ms", "12.3 s", "4m 05s", "2h 03m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return formatNumber(seconds);
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
