// Orthonormal DCT-II and its inverse (DCT-III) along time, per action dimension, as scipy's
// `dct(x, type=2, norm="ortho", axis=0)` / `idct(..., norm="ortho")` used by FAST
// (reference/fast.md E2 and D2.5): products with the H×H DCT matrix. For common horizons the
// product is compiled once into straight-line code with the matrix entries as constants (same
// arithmetic, same summation order as the loop), which makes it several times faster.

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

type Kernel = (x: Float64Array, dim: number, out: Float64Array) => void;

/** Horizons up to this are compiled; longer ones use the loop. */
const MAX_COMPILED_HORIZON = 64;
const forwardKernels = new Map<number, Kernel>();
const inverseKernels = new Map<number, Kernel>();

/**
 * Straight-line kernel `out[i * dim + d] = Σ_j w(i, j) · x[j * dim + d]` for every d, with
 * w(i, j) = m[i * H + j] (forward) or m[j * H + i] (inverse), summed in order j = 0 … H−1.
 */
function compile(horizon: number, transpose: boolean): Kernel {
  const m = dctMatrix(horizon);
  const lines: string[] = [];
  for (let j = 0; j < horizon; j++) lines.push(`const x${j} = x[${j} * dim + d];`);
  for (let i = 0; i < horizon; i++) {
    const terms: string[] = [];
    for (let j = 0; j < horizon; j++) {
      const w = transpose ? m[j * horizon + i] : m[i * horizon + j];
      terms.push(`(${String(w)}) * x${j}`);
    }
    lines.push(`out[${i} * dim + d] = 0 + ${terms.join(" + ")};`);
  }
  const body = `for (let d = 0; d < dim; d++) {\n${lines.join("\n")}\n}`;
  return new Function("x", "dim", "out", body) as Kernel;
}

function kernel(cache: Map<number, Kernel>, horizon: number, transpose: boolean): Kernel | undefined {
  if (horizon > MAX_COMPILED_HORIZON) return undefined;
  let k = cache.get(horizon);
  if (k === undefined) {
    k = compile(horizon, transpose);
    cache.set(horizon, k);
  }
  return k;
}

/** DCT-II along time: `out[k * D + d] = Σ_n M[k, n] x[n * D + d]` (row k = frequency k). */
export function dctForward(x: Float64Array, horizon: number, dim: number, out: Float64Array): Float64Array {
  const k = kernel(forwardKernels, horizon, false);
  if (k !== undefined) {
    k(x, dim, out);
    return out;
  }
  const m = dctMatrix(horizon);
  for (let f = 0; f < horizon; f++) {
    const row = f * horizon;
    for (let d = 0; d < dim; d++) {
      let acc = 0;
      for (let n = 0, xi = d; n < horizon; n++, xi += dim) acc += m[row + n] * x[xi];
      out[f * dim + d] = acc;
    }
  }
  return out;
}

/** Inverse DCT (DCT-III) along time: `out[n * D + d] = Σ_k M[k, n] c[k * D + d]`. */
export function dctInverse(c: Float64Array, horizon: number, dim: number, out: Float64Array): Float64Array {
  const k = kernel(inverseKernels, horizon, true);
  if (k !== undefined) {
    k(c, dim, out);
    return out;
  }
  const m = dctMatrix(horizon);
  for (let n = 0; n < horizon; n++) {
    for (let d = 0; d < dim; d++) {
      let acc = 0;
      for (let f = 0, ci = d, mi = n; f < horizon; f++, ci += dim, mi += horizon) acc += m[mi] * c[ci];
      out[n * dim + d] = acc;
    }
  }
  return out;
}
