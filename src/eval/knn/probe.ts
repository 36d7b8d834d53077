// ref: RoboAlign Appendix B.1, Table 9: the representation probe. Phase classes come from robot states
// (phase-labels.ts); the backbone sees only the camera images and the instruction of each timestep, and
// a leave-one-trajectory-out k-NN (knn.ts) over its mean-pooled layer-L hidden states must recover the
// phase. Feature sources are injected so the probe runs against fakes in tests and frozen backbones in
// the CLI, one source at a time (each is opened, used, and closed before the next).
import type { RgbImage } from "../../vision/image-processor.js";
import { meanPool, type VlFeatures, type VlInput } from "../../vla/backbone.js";
import { chanceLevel, leaveOneGroupOutKnn } from "./knn.js";
import { phaseLabels } from "./phase-labels.js";

/** Inputs per `extract` call. */
export const EXTRACT_BATCH = 16;

export interface ProbeTrajectory {
  id: string;
  /** [steps × stateDim] row-major robot states. */
  states: Float64Array;
  stateDim: number;
  steps: number;
  /** What the backbone sees at step t; null when the frame cannot be read (the step is skipped). */
  frame(t: number): Promise<{ images: RgbImage[]; instruction: string } | null>;
}

export interface FeatureSource {
  /** Row name in the report, e.g. "base", "SFT", "SFT+RL". */
  label: string;
  /** Hidden size of the features (read after `open`). */
  dim: number;
  extract(inputs: VlInput[]): Promise<VlFeatures[]>;
  /** Called before the first `extract` (e.g. load the model). */
  open?(): Promise<void>;
  /** Called after the last `extract`, also on failure (e.g. free the model). */
  close?(): Promise<void>;
}

export interface KnnProbeOptions {
  classes: number;
  k: number;
  /** Every stride-th step of each trajectory is probed (phase labels use all steps). */
  stride: number;
  onProgress?: (done: number, total: number) => void;
}

export interface KnnSourceResult {
  label: string;
  accuracy: number;
  correct: number;
  total: number;
}

export interface KnnProbeResult {
  classes: number;
  k: number;
  stride: number;
  /** Number of trajectories. */
  trajectories: number;
  trajectoryIds: string[];
  /** Probed timesteps (after stride, without skipped frames). */
  timesteps: number;
  /** Sampled timesteps left out because a frame could not be read. */
  skipped: number;
  /** Frequency of the most common class among the probed timesteps. */
  chance: number;
  /** Id of the reference (DTW medoid) trajectory. */
  reference: string;
  sources: KnnSourceResult[];
}

interface Step {
  traj: number;
  t: number;
}

function checkOptions(trajs: readonly ProbeTrajectory[], sources: readonly FeatureSource[], o: KnnProbeOptions): number {
  if (trajs.length < 2) throw new RangeError(`the k-NN probe needs at least 2 trajectories (it classifies each by the others), got ${trajs.length}`);
  if (!sources.length) throw new RangeError("the k-NN probe needs at least one feature source (backbone)");
  for (const [flag, v] of [["classes", o.classes], ["k", o.k], ["stride", o.stride]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`--${flag} must be a positive integer, got ${v}`);
  }
  const dim = trajs[0].stateDim;
  for (const t of trajs) {
    if (t.stateDim !== dim) throw new RangeError(`trajectory ${t.id} has state dim ${t.stateDim}, ${trajs[0].id} has ${dim}: pick episodes of one robot`);
    if (t.states.length !== t.steps * dim) throw new RangeError(`trajectory ${t.id} has ${t.states.length} state values for ${t.steps} steps × ${dim} dims`);
  }
  return dim;
}

/**
 * Mean-pooled features of every step for one source, in `steps` order. A null frame adds the step to
 * `skip`; the first source decides which steps are skipped, later sources must read the same frames.
 */
async function sourceVectors(src: FeatureSource, trajs: readonly ProbeTrajectory[], steps: readonly Step[], skip: Set<number>, first: boolean, progress: () => void): Promise<(Float32Array | null)[]> {
  const out: (Float32Array | null)[] = steps.map(() => null);
  let batch: { at: number; input: VlInput }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const feats = await src.extract(batch.map((b) => b.input));
    if (feats.length !== batch.length) throw new Error(`feature source ${src.label} returned ${feats.length} feature sets for ${batch.length} inputs`);
    feats.forEach((f, i) => {
      if (f.data.length !== f.tokens * src.dim) throw new Error(`feature source ${src.label} returned ${f.data.length} values for ${f.tokens} tokens × dim ${src.dim}`);
      out[batch[i].at] = meanPool(f, src.dim);
      progress();
    });
    batch = [];
  };
  for (let s = 0; s < steps.length; s++) {
    if (skip.has(s)) continue;
    const { traj, t } = steps[s];
    const x = await trajs[traj].frame(t);
    if (!x) {
      if (!first) throw new Error(`frame ${t} of ${trajs[traj].id} could not be read for ${src.label}, though it could for the first backbone; re-run (the dataset may be changing)`);
      skip.add(s);
      progress();
      continue;
    }
    batch.push({ at: s, input: x });
    if (batch.length === EXTRACT_BATCH) await flush();
  }
  await flush();
  return out;
}

export async function knnProbe(trajs: readonly ProbeTrajectory[], sources: readonly FeatureSource[], o: KnnProbeOptions): Promise<KnnProbeResult> {
  const dim = checkOptions(trajs, sources, o);
  const phases = phaseLabels(
    trajs.map((t) => t.states),
    dim,
    o.classes,
  );
  const steps: Step[] = [];
  trajs.forEach((tr, traj) => {
    for (let t = 0; t < tr.steps; t += o.stride) steps.push({ traj, t });
  });
  const total = steps.length * sources.length;
  let done = 0;
  const progress = () => o.onProgress?.(++done, total);
  o.onProgress?.(0, total);

  const skip = new Set<number>();
  const perSource: (Float32Array | null)[][] = [];
  for (const [i, src] of sources.entries()) {
    await src.open?.();
    try {
      perSource.push(await sourceVectors(src, trajs, steps, skip, i === 0, progress));
    } finally {
      await src.close?.();
    }
    // Later sources skip the steps the first one could not read; count them as done.
    if (i === 0) for (let s = 0; s < skip.size * (sources.length - 1); s++) progress();
  }

  const kept = steps.map((_, s) => s).filter((s) => !skip.has(s));
  if (new Set(kept.map((s) => steps[s].traj)).size < 2) {
    throw new Error(`only ${new Set(kept.map((s) => steps[s].traj)).size} trajectory has readable frames; the leave-one-trajectory-out probe needs two`);
  }
  const labels = kept.map((s) => phases.labels[steps[s].traj][steps[s].t]);
  const groups = kept.map((s) => steps[s].traj);
  const results = sources.map((src, i) => {
    const r = leaveOneGroupOutKnn(
      kept.map((s) => perSource[i][s]!),
      labels,
      groups,
      o.k,
    );
    return { label: src.label, accuracy: r.accuracy, correct: r.correct, total: r.total };
  });
  return {
    classes: o.classes,
    k: o.k,
    stride: o.stride,
    trajectories: trajs.length,
    trajectoryIds: trajs.map((t) => t.id),
    timesteps: kept.length,
    skipped: skip.size,
    chance: chanceLevel(labels),
    reference: trajs[phases.reference].id,
    sources: results,
  };
}
