// Quantization of DCT coefficients as FAST does it (reference/fast.md E3–E6, D2.3): numpy's
// `np.around` (round half to even), row-major flattening, and the `min_token` shift with its
// lower clamp at 0.

/** `np.around(x)`: round half to even (0.5 → 0, 1.5 → 2, -2.5 → -2), unlike `Math.round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // half up; exact for every double, so the tie test below is exact
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Highest Unicode scalar value; Python's `chr` rejects anything above. */
export const MAX_CODE_POINT = 0x10ffff;

/** True for UTF-16 surrogates, which Python's `chr` accepts but the Rust tokenizer cannot take. */
export function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

/**
 * Encode-side string of one chunk as code points: `max(round_half_even(c · scale) − minToken, 0)`
 * for each coefficient in row-major order (E3–E6). Returns -1 when every value is a valid
 * code point, else the index of the first one that is not (non-finite, above U+10FFFF, or a
 * surrogate), where the reference raises.
 */
export function quantizeToCodePoints(
  coef: Float64Array,
  count: number,
  scale: number,
  minToken: number,
  out: Int32Array,
): number {
  for (let i = 0; i < count; i++) {
    const v = roundHalfEven(coef[i] * scale) - minToken;
    if (v !== v) return i; // NaN: np.maximum keeps it and the int cast has no code point
    const u = v > 0 ? v : 0; // −∞ clamps to 0, as np.maximum does
    if (u > MAX_CODE_POINT || isSurrogate(u)) return i;
    out[i] = u;
  }
  return -1;
}
