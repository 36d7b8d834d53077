// ref: Cover & Hart 1967, Nearest neighbor pattern classification (majority vote of the k nearest),
// with leave-one-group-out evaluation as in RoboAlign Appendix B.1: a timestep is classified only by
// timesteps of OTHER trajectories, so a representation cannot score by recognising its neighbours in
// time within the same demonstration (which would be near-duplicates), only by encoding the phase.
//
// Distance: cosine, 1 - cos(a, b) (a zero vector is at distance 1 from everything). Neighbours with
// equal distance are taken in index order. Vote ties: the tied class with the smallest summed
// neighbour distance wins, then the lowest class id.

export interface ClassAccuracy {
  label: number;
  correct: number;
  total: number;
}

export interface KnnResult {
  accuracy: number;
  correct: number;
  total: number;
  /** Predicted class per vector (-1 where no other group had any vector). */
  predictions: Int32Array;
  /** Per true class, ascending class id. */
  perClass: ClassAccuracy[];
}

/** Vectors scaled to unit length in one contiguous buffer (zero vectors stay zero). */
function unitRows(vectors: readonly Float32Array[]): { data: Float32Array; dim: number } {
  const dim = vectors[0].length;
  const data = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => {
    if (v.length !== dim) throw new RangeError(`k-NN vector ${i} has ${v.length} values, vector 0 has ${dim}: all features must share one dimension`);
    let s = 0;
    for (let k = 0; k < dim; k++) s += v[k] * v[k];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < dim; k++) data[i * dim + k] = v[k] * inv;
  });
  return { data, dim };
}

/**
 * Dot products of rows a[0..3] with rows b0 and b1 in one pass (out[r] with b0, out[4 + r] with b1):
 * each loaded value serves two or four products, which makes this hot loop about 2× faster in V8
 * than separate dot products.
 */
function dots4x2(x: Float32Array, a: readonly number[], b0: number, b1: number, dim: number, out: Float64Array): void {
  const [a0, a1, a2, a3] = a;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (let k = 0; k < dim; k++) {
    const y = x[b0 + k];
    const z = x[b1 + k];
    const p0 = x[a0 + k];
    const p1 = x[a1 + k];
    const p2 = x[a2 + k];
    const p3 = x[a3 + k];
    s0 += p0 * y;
    s1 += p1 * y;
    s2 += p2 * y;
    s3 += p3 * y;
    t0 += p0 * z;
    t1 += p1 * z;
    t2 += p2 * z;
    t3 += p3 * z;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
  out[4] = t0;
  out[5] = t1;
  out[6] = t2;
  out[7] = t3;
}

/** The k nearest per row, kept sorted by (distance, index) so insertion order does not matter. */
class TopK {
  readonly d: Float64Array;
  readonly idx: Int32Array;
  readonly n: Int32Array;
  constructor(
    rows: number,
    readonly k: number,
  ) {
    this.d = new Float64Array(rows * k).fill(Infinity);
    this.idx = new Int32Array(rows * k).fill(-1);
    this.n = new Int32Array(rows);
  }

  add(row: number, dist: number, j: number): void {
    const o = row * this.k;
    const worst = o + this.k - 1;
    if (this.n[row] === this.k && (dist > this.d[worst] || (dist === this.d[worst] && j > this.idx[worst]))) return;
    let p = Math.min(this.n[row], this.k - 1) + o;
    while (p > o && (this.d[p - 1] > dist || (this.d[p - 1] === dist && this.idx[p - 1] > j))) {
      this.d[p] = this.d[p - 1];
      this.idx[p] = this.idx[p - 1];
      p--;
    }
    this.d[p] = dist;
    this.idx[p] = j;
    if (this.n[row] < this.k) this.n[row]++;
  }
}

/** Majority vote; ties → smallest summed distance, then lowest class id. */
export function vote(neighbourLabels: ArrayLike<number>, distances: ArrayLike<number>): number {
  const count = new Map<number, number>();
  const dist = new Map<number, number>();
  for (let i = 0; i < neighbourLabels.length; i++) {
    const c = neighbourLabels[i];
    count.set(c, (count.get(c) ?? 0) + 1);
    dist.set(c, (dist.get(c) ?? 0) + distances[i]);
  }
  let best = -1;
  for (const [c, n] of count) {
    if (best < 0) {
      best = c;
      continue;
    }
    const nb = count.get(best)!;
    const dc = dist.get(c)!;
    const db = dist.get(best)!;
    if (n > nb || (n === nb && (dc < db || (dc === db && c < best)))) best = c;
  }
  return best;
}

/**
 * Leave-one-group-out k-NN accuracy: vector i is classified by its k nearest (cosine) among vectors
 * whose group differs from groups[i].
 */
export function leaveOneGroupOutKnn(vectors: readonly Float32Array[], labels: Int32Array | readonly number[], groups: readonly number[], k: number): KnnResult {
  const N = vectors.length;
  if (!N) throw new RangeError("k-NN needs at least one vector");
  if (labels.length !== N || groups.length !== N) {
    throw new RangeError(`k-NN got ${N} vectors, ${labels.length} labels and ${groups.length} groups; pass one label and one group per vector`);
  }
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (new Set(groups).size < 2) throw new RangeError("leave-one-group-out k-NN needs vectors from at least two groups (trajectories)");
  const { data, dim } = unitRows(vectors);
  const top = new TopK(N, k);
  // Each pair (i < j) once: the distance is symmetric, and both rows' neighbour lists take it.
  // Blocks of four rows × two columns; a short block repeats a row or column whose products go unused.
  const needed = (i: number, j: number) => i < j && j < N && groups[i] !== groups[j];
  const d8 = new Float64Array(8);
  for (let i0 = 0; i0 < N; i0 += 4) {
    const rows = Math.min(4, N - i0);
    const a = [0, 1, 2, 3].map((r) => (r < rows ? i0 + r : i0) * dim);
    for (let j = i0 + 1; j < N; j += 2) {
      let any = false;
      for (let r = 0; r < rows && !any; r++) any = needed(i0 + r, j) || needed(i0 + r, j + 1);
      if (!any) continue;
      dots4x2(data, a, j * dim, (j + 1 < N ? j + 1 : j) * dim, dim, d8);
      for (let c = 0; c < 2; c++) {
        for (let r = 0; r < rows; r++) {
          if (!needed(i0 + r, j + c)) continue;
          const d = 1 - d8[4 * c + r];
          top.add(i0 + r, d, j + c);
          top.add(j + c, d, i0 + r);
        }
      }
    }
  }
  const predictions = new Int32Array(N).fill(-1);
  const per = new Map<number, ClassAccuracy>();
  let correct = 0;
  for (let i = 0; i < N; i++) {
    const o = i * k;
    const n = top.n[i];
    if (n) predictions[i] = vote(Array.from(top.idx.subarray(o, o + n), (j) => labels[j]), top.d.subarray(o, o + n));
    const c = per.get(labels[i]) ?? { label: labels[i], correct: 0, total: 0 };
    c.total++;
    if (predictions[i] === labels[i]) {
      c.correct++;
      correct++;
    }
    per.set(labels[i], c);
  }
  return { accuracy: correct / N, correct, total: N, predictions, perClass: [...per.values()].sort((a, b) => a.label - b.label) };
}

/** Accuracy of always answering the most common class: the floor a probe must beat. */
export function chanceLevel(labels: Int32Array | readonly number[]): number {
  if (!labels.length) throw new RangeError("chance level of an empty label set is undefined");
  const count = new Map<number, number>();
  let best = 0;
  for (let i = 0; i < labels.length; i++) {
    const n = (count.get(labels[i]) ?? 0) + 1;
    count.set(labels[i], n);
    if (n > best) best = n;
  }
  return best / labels.length;
}
