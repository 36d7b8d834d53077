// ref: Müller 2007, Information Retrieval for Music and Motion, ch. 4 (DTW): classic dynamic time
// warping with step sizes (1,0), (0,1), (1,1), Euclidean local cost and boundary/monotonicity/step
// conditions, i.e. every path runs from (0,0) to (n-1,m-1). Sequences are row-major [steps × dim].

export interface DtwResult {
  /** Summed local cost along the optimal warping path. */
  distance: number;
  /** Matched index pairs [i in a, j in b], from (0,0) to (n-1, m-1). */
  path: [number, number][];
}

function steps(x: Float64Array, dim: number, name: string): number {
  if (!(Number.isInteger(dim) && dim >= 1)) throw new RangeError(`DTW state dim must be a positive integer, got ${dim}`);
  if (x.length === 0 || x.length % dim !== 0) {
    throw new RangeError(`DTW sequence ${name} has ${x.length} values, not a non-empty multiple of dim ${dim}: pass [steps × dim] row-major`);
  }
  return x.length / dim;
}

/** Euclidean distance between row i of a and row j of b. */
export function rowDistance(a: Float64Array, i: number, b: Float64Array, j: number, dim: number): number {
  let s = 0;
  const oa = i * dim;
  const ob = j * dim;
  for (let k = 0; k < dim; k++) {
    const d = a[oa + k] - b[ob + k];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Accumulated cost matrix D[i·m + j] (Müller eq. 4.5). */
function accumulated(a: Float64Array, b: Float64Array, dim: number, n: number, m: number): Float64Array {
  const D = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const c = rowDistance(a, i, b, j, dim);
      let best: number;
      if (i === 0 && j === 0) best = 0;
      else if (i === 0) best = D[j - 1];
      else if (j === 0) best = D[(i - 1) * m];
      else best = Math.min(D[(i - 1) * m + j - 1], D[(i - 1) * m + j], D[i * m + j - 1]);
      D[i * m + j] = c + best;
    }
  }
  return D;
}

/**
 * Optimal warping path and its cost. Backtracking prefers the diagonal, then (i-1, j), then (i, j-1)
 * on equal accumulated cost, so the path is deterministic (identical sequences give the diagonal).
 */
export function dtw(a: Float64Array, b: Float64Array, dim: number): DtwResult {
  const n = steps(a, dim, "a");
  const m = steps(b, dim, "b");
  const D = accumulated(a, b, dim, n, m);
  const path: [number, number][] = [[n - 1, m - 1]];
  let i = n - 1;
  let j = m - 1;
  while (i > 0 || j > 0) {
    if (i === 0) j--;
    else if (j === 0) i--;
    else {
      const diag = D[(i - 1) * m + j - 1];
      const up = D[(i - 1) * m + j];
      const left = D[i * m + j - 1];
      if (diag <= up && diag <= left) {
        i--;
        j--;
      } else if (up <= left) i--;
      else j--;
    }
    path.push([i, j]);
  }
  path.reverse();
  return { distance: D[n * m - 1], path };
}

/**
 * Standardises every dimension to zero mean and unit variance over all rows of all sequences, so
 * joint angles (radians) and gripper widths (metres) weigh alike in the Euclidean cost. A constant
 * dimension (std < 1e-8) keeps std 1 instead of dividing by zero. Returns new arrays.
 */
export function standardize(trajs: readonly Float64Array[], dim: number): Float64Array[] {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  let rows = 0;
  trajs.forEach((x, t) => {
    const n = steps(x, dim, `#${t}`);
    rows += n;
    for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) mean[k] += x[i * dim + k];
  });
  if (!rows) return [];
  for (let k = 0; k < dim; k++) mean[k] /= rows;
  for (const x of trajs) {
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - mean[i % dim];
      sq[i % dim] += d * d;
    }
  }
  const std = Array.from(sq, (s) => {
    const v = Math.sqrt(s / rows);
    return v < 1e-8 ? 1 : v;
  });
  return trajs.map((x) => x.map((v, i) => (v - mean[i % dim]) / std[i % dim]));
}
