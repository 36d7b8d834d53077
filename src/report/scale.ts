// Axis scales for the charts: round-number ticks covering a data range (linear or log), tick labels,
// and the value → pixel mapping.

/** Ticks of one axis: the domain the axis spans and the values that get a labelled grid line. */
export interface AxisTicks {
  /** Tick values in increasing order, all inside [min, max]. */
  values: number[];
  /** Lower end of the axis domain (≤ the smallest data value). */
  min: number;
  /** Upper end of the axis domain (≥ the largest data value). */
  max: number;
  /** Spacing of linear ticks; undefined for log ticks, whose spacing varies. */
  step?: number;
}

/** Rounds away binary noise (0.1 * 3 = 0.30000000000000004) so ticks print and compare as written. */
function clean(v: number): number {
  return Number.parseFloat(v.toPrecision(12));
}

/** The round step (1, 2, 2.5 or 5 × 10^k) nearest above `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const base = 10 ** Math.floor(Math.log10(rough));
  const f = rough / base;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return clean(m * base);
}

/**
 * Linear ticks at a round step whose first tick is ≤ `min` and last tick is ≥ `max`, about `target`
 * intervals in all. A degenerate range (min = max) is widened so the axis still has extent; a
 * non-finite range falls back to [0, 1].
 */
export function linearTicks(min: number, max: number, target = 5): AxisTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    [min, max] = [min - pad, max + pad];
  }
  const step = niceStep((max - min) / Math.max(1, target));
  // floor/ceil on the quotient can land one step off through rounding; step back to the tightest cover.
  let lo = Math.floor(min / step);
  if (clean((lo + 1) * step) <= min) lo += 1;
  if (clean(lo * step) > min) lo -= 1;
  let hi = Math.ceil(max / step);
  if (clean((hi - 1) * step) >= max) hi -= 1;
  if (clean(hi * step) < max) hi += 1;
  const values: number[] = [];
  for (let i = lo; i <= hi; i++) values.push(clean(i * step));
  return { values, min: values[0], max: values[values.length - 1], step };
}

/**
 * Ticks for a log axis over positive [min, max]. Wide ranges get powers of ten; one to three decades
 * get the 1-2-5 sequence; under half a decade, linear round ticks (a log axis there looks linear anyway).
 */
export function logTicks(min: number, max: number, target = 5): AxisTicks {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) {
    throw new RangeError(`log axis needs a positive finite range, got [${min}, ${max}]; drop values ≤ 0 or use a linear axis`);
  }
  if (min > max) [min, max] = [max, min];
  const decades = Math.log10(max / min);
  if (decades < 0.5) {
    const t = linearTicks(min, max, target);
    // A linear cover may reach 0 or below for ranges near zero; a log axis cannot show that.
    if (t.min > 0) return t;
  }
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const mantissas = decades <= 3 ? [1, 2, 5] : [1];
  const candidates: number[] = [];
  for (let e = lo; e <= hi; e++) for (const m of mantissas) candidates.push(clean(m * 10 ** e));
  let first = 0;
  while (first + 1 < candidates.length && candidates[first + 1] <= min) first++;
  let last = candidates.length - 1;
  while (last - 1 >= 0 && candidates[last - 1] >= max) last--;
  let values = candidates.slice(first, last + 1);
  // Many decades: keep every k-th power so labels do not collide, always keeping both ends.
  if (values.length > 2 * target) {
    const k = Math.ceil(values.length / target);
    values = values.filter((_, i) => i % k === 0 || i === values.length - 1);
  }
  return { values, min: values[0], max: values[values.length - 1] };
}

/** Decimal places needed to print multiples of `step` exactly (0.25 → 2, 20 → 0). */
function decimalsFor(step: number): number {
  for (let d = 0; d < 12; d++) {
    const s = step * 10 ** d;
    if (Math.abs(s - Math.round(s)) < 1e-9 * Math.max(1, s)) return d;
  }
  return 12;
}

function exponentForm(value: number): string {
  const [m, e] = value.toExponential(3).split("e");
  return `${Number.parseFloat(m)}e${Number.parseInt(e, 10)}`;
}

/** True when labels of this magnitude read better in exponent form (2e-5, 1e6). */
function wantsExponent(magnitude: number): boolean {
  return magnitude >= 1e6 || (magnitude > 0 && magnitude < 1e-3);
}

/**
 * One tick label. With `step` (linear axes): fixed decimals matching the step, so 0, 0.5, 1 print
 * alike. Without (log axes): the shortest exact form. Very small or large magnitudes use exponent form.
 */
export function formatTick(value: number, step?: number): string {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return String(value);
  if (wantsExponent(Math.abs(value))) return exponentForm(value);
  return step === undefined ? String(clean(value)) : value.toFixed(decimalsFor(step));
}

/**
 * Labels for all ticks of an axis. Linear axes decide exponent form once for the whole axis (from
 * the largest magnitude) so one axis never mixes 5e-4 with 0.0010.
 */
export function tickLabels(ticks: AxisTicks): string[] {
  const { values, step } = ticks;
  if (step === undefined) return values.map((v) => formatTick(v));
  const largest = Math.max(...values.map(Math.abs));
  if (wantsExponent(largest)) return values.map((v) => (v === 0 ? "0" : exponentForm(v)));
  return values.map((v) => (v === 0 ? "0" : v.toFixed(decimalsFor(step))));
}

/** Maps values to pixels: linear, or linear in log10(value) for log axes. */
export function makeScale(ticks: Pick<AxisTicks, "min" | "max">, from: number, to: number, log = false): (v: number) => number {
  const f = log ? Math.log10 : (v: number) => v;
  const d0 = f(ticks.min);
  const span = f(ticks.max) - d0 || 1;
  return (v: number) => from + ((f(v) - d0) / span) * (to - from);
}
