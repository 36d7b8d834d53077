// Orthonormal DCT-II and its inverse (DCT-III) along time, per action dimension, as scipy's
// `dct(x, type=2, norm="ortho", axis=0)` / `idct(..., norm="ortho")` used by FAST
// (reference/fast.md E2 and D2.5). Plain matrix products with cached H×H matrices.

const matrices = new Map<number, Float64Array>();

/**
 * The H×H orthonormal DCT-II matrix, `m[k * H + n] = a_k cos(π k (2n + 1) / 2H)` with
 * a_0 = √(1/H) and a_k = √(2/H); it is orthogonal, so its transpose is the inverse.
 */
export function dctMatrix(horizon: number): Float64Array {
  let m = matrices.get(horizon);
  if (m === undefined) {
    m = new Float64Array(horizon * horizon);
    const a0 = Math.sqrt(1 / horizon);
    const ak = Math.sqrt(2 / horizon);
    for (let k = 0; k < horizon; k++) {
      const a = k === 0 ? a0 : ak;
      for (let n = 0; n < horizon; n++) {
        m[k * horizon + n] = a * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * horizon));
      }
    }
    matrices.set(horizon, m);
  }
  return m;
}

/** DCT-II along time: `out[k * D + d] = Σ_n M[k, n] x[n * D + d]` (row k = frequency k). */
export function dctForward(x: Float64Array, horizon: number, dim: number, out: Float64Array): Float64Array {
  const m = dctMatrix(horizon);
  for (let k = 0; k < horizon; k++) {
    const row = k * horizon;
    for (let d = 0; d < dim; d++) {
      let acc = 0;
      for (let n = 0, xi = d; n < horizon; n++, xi += dim) acc += m[row + n] * x[xi];
      out[k * dim + d] = acc;
    }
  }
  return out;
}

/** Inverse DCT (DCT-III) along time: `out[n * D + d] = Σ_k M[k, n] c[k * D + d]`. */
export function dctInverse(c: Float64Array, horizon: number, dim: number, out: Float64Array): Float64Array {
  const m = dctMatrix(horizon);
  for (let n = 0; n < horizon; n++) {
    for (let d = 0; d < dim; d++) {
      let acc = 0;
      for (let k = 0, ci = d, mi = n; k < horizon; k++, ci += dim, mi += horizon) acc += m[mi] * c[ci];
      out[n * dim + d] = acc;
    }
  }
  return out;
}
