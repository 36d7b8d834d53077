// Action normalization around FAST (reference/fast.md §8.1, §8.5): statistics per action
// dimension over every timestep of every chunk, and three maps to roughly [-1, 1]:
//   quantile (openpi N1/N2): (x − q01) / (q99 − q01 + eps) · 2 − 1, eps 1e-6, optional clip;
//   minmax (LeRobot MIN_MAX): (x − min) / (max − min + eps) · 2 − 1, eps 1e-8, optional clip;
//   meanstd (LeRobot MEAN_STD): (x − mean) / (std + eps), eps 1e-8.
// Quantiles are numpy's exact `np.quantile` (linear), not openpi's histogram approximation.

import { type ActionChunk, assertChunk, FastInputError } from "./chunk.js";

export type NormalizationMode = "quantile" | "minmax" | "meanstd";
export const NORMALIZATION_MODES: readonly NormalizationMode[] = ["quantile", "minmax", "meanstd"];

/** Per-dimension statistics of a dataset's actions. */
export interface ActionStats {
  dim: number;
  /** Number of action vectors (timesteps) the statistics cover. */
  count: number;
  mean: number[];
  /** Population standard deviation (numpy's default ddof 0). */
  std: number[];
  min: number[];
  max: number[];
  q01: number[];
  q99: number[];
}

export interface NormalizationSpec {
  mode: NormalizationMode;
  /** Clip normalized values to [-1, 1] (quantile and minmax only; openpi itself does not clip). */
  clip: boolean;
  eps: number;
}

export function defaultEps(mode: NormalizationMode): number {
  return mode === "quantile" ? 1e-6 : 1e-8;
}

/** `np.quantile(sorted, q)` with the default linear method, bit for bit (numpy's `_lerp`). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new FastInputError("cannot take a quantile of no values");
  const vi = (n - 1) * q;
  if (vi >= n - 1) return sorted[n - 1];
  if (vi < 0) return sorted[0];
  const lo = Math.floor(vi);
  const t = vi - lo;
  const a = sorted[lo];
  const b = sorted[lo + 1];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Statistics over all timesteps of all chunks; every chunk must have the same D. */
export function computeActionStats(chunks: readonly ActionChunk[]): ActionStats {
  if (chunks.length === 0) throw new FastInputError("no action chunks to compute statistics from");
  const dim = chunks[0].dim;
  let count = 0;
  chunks.forEach((c, i) => {
    assertChunk(c, `chunk ${i}`);
    if (c.dim !== dim) throw new FastInputError(`chunk ${i} has ${c.dim} action dims, chunk 0 has ${dim}; statistics need one D`);
    count += c.horizon;
  });
  const stats: ActionStats = { dim, count, mean: [], std: [], min: [], max: [], q01: [], q99: [] };
  const values = new Float64Array(count);
  for (let d = 0; d < dim; d++) {
    let k = 0;
    for (const c of chunks) for (let t = 0; t < c.horizon; t++) values[k++] = c.data[t * dim + d];
    let sum = 0;
    for (let i = 0; i < count; i++) {
      if (!Number.isFinite(values[i])) throw new FastInputError(`action dim ${d} holds NaN or infinite values; clean the data first`);
      sum += values[i];
    }
    const mean = sum / count;
    let ss = 0;
    for (let i = 0; i < count; i++) ss += (values[i] - mean) ** 2;
    values.sort();
    stats.mean.push(mean);
    stats.std.push(Math.sqrt(ss / count));
    stats.min.push(values[0]);
    stats.max.push(values[count - 1]);
    stats.q01.push(quantileSorted(values, 0.01));
    stats.q99.push(quantileSorted(values, 0.99));
  }
  return stats;
}

/** Applies and inverts one normalization with fixed statistics. */
export class ActionNormalizer {
  readonly stats: ActionStats;
  readonly spec: NormalizationSpec;
  private readonly offset: Float64Array;
  private readonly span: Float64Array;
  private readonly bounded: boolean;

  constructor(stats: ActionStats, spec: Partial<NormalizationSpec> & { mode: NormalizationMode }) {
    const mode = spec.mode;
    if (!NORMALIZATION_MODES.includes(mode)) throw new FastInputError(`unknown normalization "${mode}"; use one of ${NORMALIZATION_MODES.join(", ")}`);
    this.spec = { mode, clip: spec.clip ?? mode !== "meanstd", eps: spec.eps ?? defaultEps(mode) };
    if (this.spec.clip && mode === "meanstd") throw new FastInputError("clipping applies to quantile and minmax normalization only");
    this.stats = stats;
    const { dim } = stats;
    const lo = mode === "quantile" ? stats.q01 : mode === "minmax" ? stats.min : stats.mean;
    const hi = mode === "quantile" ? stats.q99 : mode === "minmax" ? stats.max : stats.std;
    for (const arr of [lo, hi]) {
      if (arr.length !== dim || !arr.every(Number.isFinite)) {
        throw new FastInputError(`${mode} normalization needs ${dim} finite values per statistic, got ${JSON.stringify(arr)}`);
      }
    }
    this.offset = Float64Array.from(lo);
    this.span = new Float64Array(dim);
    for (let d = 0; d < dim; d++) {
      this.span[d] =
        mode === "quantile" ? stats.q99[d] - stats.q01[d] + this.spec.eps : mode === "minmax" ? stats.max[d] - stats.min[d] + this.spec.eps : stats.std[d] + this.spec.eps;
    }
    this.bounded = mode !== "meanstd";
  }

  private check(chunk: ActionChunk): void {
    assertChunk(chunk);
    if (chunk.dim !== this.stats.dim) {
      throw new FastInputError(`chunk has ${chunk.dim} action dims, the normalization statistics have ${this.stats.dim}`);
    }
  }

  /** A normalized copy of a chunk. */
  normalize(chunk: ActionChunk): ActionChunk {
    this.check(chunk);
    const { dim, data } = chunk;
    const out = new Float64Array(data.length);
    const clip = this.spec.clip;
    for (let i = 0; i < data.length; i++) {
      const d = i % dim;
      let y = (data[i] - this.offset[d]) / this.span[d];
      if (this.bounded) {
        y = y * 2 - 1;
        if (clip) y = y < -1 ? -1 : y > 1 ? 1 : y;
      }
      out[i] = y;
    }
    return { horizon: chunk.horizon, dim, data: out };
  }

  /** The inverse map (a copy); clipped values come back at the clip bounds. */
  unnormalize(chunk: ActionChunk): ActionChunk {
    this.check(chunk);
    const { dim, data } = chunk;
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const d = i % dim;
      out[i] = this.bounded ? ((data[i] + 1) / 2) * this.span[d] + this.offset[d] : data[i] * this.span[d] + this.offset[d];
    }
    return { horizon: chunk.horizon, dim, data: out };
  }

  toJSON(): Record<string, unknown> {
    return { mode: this.spec.mode, clip: this.spec.clip, eps: this.spec.eps, ...this.stats };
  }

  /**
   * Reads what `toJSON` writes, or openpi's `norm_stats.json` (`norm_stats.actions` with q01/q99,
   * read as quantile mode without clipping, as openpi applies it).
   */
  static fromJSON(json: unknown, source = "normalization file"): ActionNormalizer {
    const bad = (why: string): never => {
      throw new FastInputError(`${source}: ${why}`);
    };
    if (typeof json !== "object" || json === null) return bad("not a JSON object");
    const obj = json as Record<string, unknown>;
    const openpi = (obj.norm_stats as Record<string, unknown> | undefined)?.actions as Record<string, unknown> | undefined;
    const src = openpi ?? obj;
    const arr = (name: string): number[] => {
      const v = src[name];
      if (v === undefined && openpi) return [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) return bad(`"${name}" must be an array of numbers`);
      return v as number[];
    };
    const mode = (openpi ? "quantile" : obj.mode) as NormalizationMode;
    if (!NORMALIZATION_MODES.includes(mode)) return bad(`"mode" must be one of ${NORMALIZATION_MODES.join(", ")}`);
    const q01 = arr("q01");
    const stats: ActionStats = {
      dim: typeof src.dim === "number" ? src.dim : q01.length,
      count: typeof src.count === "number" ? src.count : 0,
      mean: arr("mean"),
      std: arr("std"),
      min: arr("min"),
      max: arr("max"),
      q01,
      q99: arr("q99"),
    };
    return new ActionNormalizer(stats, {
      mode,
      clip: typeof obj.clip === "boolean" ? obj.clip : openpi ? false : undefined,
      eps: typeof obj.eps === "number" ? obj.eps : undefined,
    });
  }
}
