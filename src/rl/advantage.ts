// ref: EasyR1 b44b311 verl/trainer/core_algos.py compute_grpo_outcome_advantage; torch CPU
// at::mean (sum then divide) and std_var_all_cpu (reference/grpo.md formula (6), quirk Q1)
//
// Â_i = (s_i − μ_g) / (σ_g + eps), σ_g the unbiased (n − 1) std, Â_{i,t} = Â_i · m_{i,t}.
//
// EasyR1 runs this on the driver CPU in float32, and the default precision here reproduces that
// bit for bit: torch.mean = float32 left-to-right sum (a group of n < 8 fits in one SIMD vector, so
// torch adds it sequentially) divided by n in float32; torch.std = the float32 mean widened to
// double, Σ(x − μ)² in double, / (n − 1), sqrt, rounded to float32; then (s − μ) / (σ + eps) in
// float32 with eps rounded to float32. That is why an all-equal group whose value is not exactly
// representable (e.g. 0.5 + 0.5·7/9) gets μ one ulp off, σ ≈ 6.7e-8 and Â ≈ ±0.056 for the whole
// group instead of 0 (quirk Q1). `guardIdenticalGroups` gives those groups Â = 0 instead.

import { RlInputError, checkLength, checkShape } from "./errors.js";

/** Which responses share a prompt: a group id per response (EasyR1's `uid`), or n for consecutive blocks of n. */
export type GroupSpec = ArrayLike<string | number> | number;

export interface GrpoAdvantageOptions {
  /** Added to σ (EasyR1 1e-6). */
  eps?: number;
  /**
   * "float32" (default) reproduces EasyR1's CPU float32 arithmetic, quirk Q1 included;
   * "float64" computes the same formula in double (what the golden fixture's outputs use).
   */
  precision?: "float32" | "float64";
  /**
   * Give Â = 0 to every response of a group whose scores are all equal (after rounding to the
   * working precision), instead of EasyR1's ±0.056 float32 artefact (Q1). Default false: match
   * EasyR1. A group with no spread carries no learning signal, so the guard removes noise only.
   */
  guardIdenticalGroups?: boolean;
}

export interface GroupStats {
  /** The group's key: its id, or the block index for consecutive blocks. */
  key: string | number;
  size: number;
  mean: number;
  /** Unbiased (n − 1) standard deviation. */
  std: number;
  /** True when every score of the group is equal. */
  identical: boolean;
  /** True when the guard zeroed this group's advantages. */
  guarded: boolean;
}

export interface GrpoAdvantageResult {
  /** Â_i per response. */
  perSample: Float64Array;
  /** Index into `groups` of each response. */
  groupOf: Int32Array;
  /** Per group, in order of first appearance. */
  groups: GroupStats[];
}

function groupIndex(spec: GroupSpec, batch: number): { groupOf: Int32Array; keys: (string | number)[] } {
  const groupOf = new Int32Array(batch);
  const keys: (string | number)[] = [];
  if (typeof spec === "number") {
    if (!Number.isInteger(spec) || spec < 1) throw new RlInputError(`group size ${spec} must be a positive integer (rollout n)`);
    if (batch % spec !== 0) throw new RlInputError(`${batch} responses do not split into groups of ${spec}; pass rollout n responses per prompt or group ids`);
    for (let i = 0; i < batch; i++) groupOf[i] = Math.floor(i / spec);
    for (let g = 0; g < batch / spec; g++) keys.push(g);
    return { groupOf, keys };
  }
  checkLength("group ids", spec as ArrayLike<number>, batch, "one per response");
  const index = new Map<string | number, number>();
  for (let i = 0; i < batch; i++) {
    const key = spec[i];
    let g = index.get(key);
    if (g === undefined) {
      g = keys.length;
      index.set(key, g);
      keys.push(key);
    }
    groupOf[i] = g;
  }
  return { groupOf, keys };
}

/** GRPO advantages Â_i of outcome scores s_i (formula (6)); throws when a group has a single response. */
export function grpoAdvantages(scores: ArrayLike<number>, groups: GroupSpec, options: GrpoAdvantageOptions = {}): GrpoAdvantageResult {
  const batch = scores.length;
  const precision = options.precision ?? "float32";
  if (precision !== "float32" && precision !== "float64") throw new RlInputError(`precision "${precision}" must be "float32" or "float64"`);
  const eps = options.eps ?? 1e-6;
  if (!Number.isFinite(eps) || eps < 0) throw new RlInputError(`eps ${eps} must be a finite non-negative number`);
  const f = precision === "float32" ? Math.fround : (x: number) => x;
  const { groupOf, keys } = groupIndex(groups, batch);

  const s = new Float64Array(batch);
  for (let i = 0; i < batch; i++) {
    if (typeof scores[i] !== "number" || Number.isNaN(scores[i])) throw new RlInputError(`score ${scores[i]} of response ${i} is not a number; a reward function must return a numeric overall score`);
    s[i] = f(scores[i]);
  }
  const members: number[][] = keys.map(() => []);
  for (let i = 0; i < batch; i++) members[groupOf[i]].push(i);

  const stats: GroupStats[] = keys.map((key, g) => {
    const idx = members[g];
    if (idx.length < 2) {
      throw new RlInputError(`GRPO needs more than one response per prompt: group ${JSON.stringify(key)} has ${idx.length}; set rollout n > 1 and keep each prompt's responses together`);
    }
    let sum = 0;
    for (const i of idx) sum = f(sum + s[i]);
    const mean = f(sum / idx.length);
    // torch.std: deviations from the (float32) mean accumulated in double.
    let ss = 0;
    for (const i of idx) ss += (s[i] - mean) ** 2;
    const std = f(Math.sqrt(ss / (idx.length - 1)));
    const identical = idx.every((i) => s[i] === s[idx[0]]);
    return { key, size: idx.length, mean, std, identical, guarded: identical && options.guardIdenticalGroups === true };
  });

  const perSample = new Float64Array(batch);
  const epsW = f(eps);
  for (let i = 0; i < batch; i++) {
    const g = stats[groupOf[i]];
    perSample[i] = g.guarded ? 0 : f(f(s[i] - g.mean) / f(g.std + epsW));
  }
  return { perSample, groupOf, groups: stats };
}

/** Â_{i,t} = Â_i · m_{i,t}, [batch*seqLen]. */
export function advantagesPerToken(perSample: ArrayLike<number>, mask: ArrayLike<number>, seqLen: number): Float64Array {
  const batch = perSample.length;
  checkShape(batch, seqLen);
  checkLength("mask", mask, batch * seqLen, `batch ${batch} × seqLen ${seqLen}`);
  const out = new Float64Array(batch * seqLen);
  for (let i = 0; i < batch; i++) for (let t = 0; t < seqLen; t++) out[i * seqLen + t] = perSample[i] * mask[i * seqLen + t];
  return out;
}
