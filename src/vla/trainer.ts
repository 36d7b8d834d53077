// `roboalign vla train`: a newly initialised GR00T-N1.5 flow-matching head on the frozen backbone's
// layer-L states (RoboAlign §4.3; shared/reference/action-head.md §7). Features are computed once
// per frame into a disk cache; each step draws `batchSize` frames uniformly (a pure function of
// seed and step, so a resumed run draws the same batches), takes one native AdamW step with the
// reference's cosine-with-warmup schedule, and logs to metrics.jsonl. Checkpoints hold the head,
// its optimizer state and the trainer state; the final policy folder is `<out>/policy`.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { readHfConfig } from "../model/checkpoint.js";
import type { ActionHeadHandle, Device, NativeCore } from "../native/contract.js";
import { OPTIMIZER_STATE_FILE, openRunState, type TrainerState } from "../train/checkpoint-store.js";
import { lrSchedule } from "../train/lr-schedule.js";
import { short, StageProgress } from "../train/progress.js";
import { resolveDtype } from "../train/sft/trainer.js";
import { StopSignal } from "../train/stop-signal.js";
import { rng } from "../util/random.js";
import { FrozenBackbone, type VlFeatures, type VlInput } from "./backbone.js";
import { defaultLayer, headConfig, type VlaTrainConfig } from "./config.js";
import { FeatureCache } from "./feature-cache.js";
import { headBatch } from "./head-batch.js";
import { detectBinaryGripper, vectorStats, type NormalizationMode, type NormalizationStats } from "./normalizer.js";
import { loadHead, saveHead, writePolicyDir } from "./policy-dir.js";
import { collectFrames, frameImages, type FrameSet } from "./training-frames.js";

export interface VlaTrainOptions {
  resume: boolean;
  progress: boolean;
  log?: (line: string) => void;
  /** Stage name in metrics.jsonl (the pipeline names one per backbone). */
  stage?: string;
}

export interface VlaTrainResult {
  steps: number;
  firstLoss: number;
  lastLoss: number;
  /** Held-out flow-matching loss at fixed noise and sampled-chunk MSE (normalised units), before and after training (null without held-out data). */
  heldoutBefore: { loss: number; actionMse: number } | null;
  heldoutAfter: { loss: number; actionMse: number } | null;
  frames: number;
  layer: number;
  policyDir: string;
  seconds: number;
  featureSeconds: number;
  stoppedBy: NodeJS.Signals | null;
}

const DIGEST_IGNORES = ["out", "saveEvery", "keepCheckpoints", "evalEvery", "device", "heldoutData", "executeSteps", "denoisingSteps"];
const HELDOUT_SEEDS = [1001, 1002, 1003, 1004];
const HELDOUT_MAX_FRAMES = 256;

/** Frames of one step: `batchSize` uniform draws, a pure function of (seed, step). */
export function stepDraws(seed: number, step: number, frames: number, batchSize: number): number[] {
  const r = rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca77)) >>> 0);
  return Array.from({ length: batchSize }, () => Math.floor(r() * frames));
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}

export async function runVlaTrain(core: NativeCore, config: VlaTrainConfig, opts: VlaTrainOptions): Promise<VlaTrainResult> {
  const stage = opts.stage ?? "vla";
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const t0 = performance.now();
  if (!config.backbone) throw new Error("set --backbone to the frozen MLLM's folder (a Hugging Face Qwen2.5-VL checkpoint)");
  if (!config.data.length) throw new Error("set --data to one or more LeRobot datasets of robot episodes");
  if (!existsSync(join(config.backbone, "config.json"))) throw new Error(`--backbone ${config.backbone} has no config.json: it must be a Hugging Face checkpoint folder`);
  const device = config.device as Device;
  const dtype = resolveDtype(config.dtype, config.device);
  const { numHiddenLayers: numLayers, hiddenSize: dim } = readHfConfig(config.backbone).text;
  const layer = config.layer > 0 ? config.layer : defaultLayer(numLayers);
  const { store, metrics, digest, latest } = openRunState(config, DIGEST_IGNORES, opts.resume);

  // Features: the backbone opens only when a frame is missing from the cache.
  let backbone: FrozenBackbone | null = null;
  const openBackbone = async () => (backbone ??= await FrozenBackbone.open(core, { dir: config.backbone, layer, normHidden: config.normHidden, device, dtype }));
  // The cache is reused only for the same weights (file size and modification time), layer and norm.
  const weightsFile = ["model.safetensors", "model.safetensors.index.json"].map((f) => join(config.backbone, f)).find(existsSync);
  const st = weightsFile ? statSync(weightsFile) : null;
  const stamp = st ? `${st.size}:${st.mtimeMs}` : "";
  const identity = JSON.stringify({ backbone: resolve(config.backbone), weights: stamp, layer, normHidden: config.normHidden, dtype });
  const cache = config.cacheFeatures ? new FeatureCache(join(config.out, "feature-cache"), identity, dim) : null;
  const tf = performance.now();
  const fbar = new StageProgress(`${stage} ${cache ? "features" : "episodes"}`, 0, 0, ["frames"], opts.progress);
  let frames: FrameSet;
  let heldout: FrameSet | null = null;
  try {
    const collect = (paths: string[]) =>
      collectFrames(paths, { horizon: config.actionHorizon, stride: config.frameStride, cache, backbone: openBackbone, onEpisode: (e, n) => fbar.update(e, { frames: String(n) }) });
    frames = await collect(config.data);
    if (config.heldoutData.length) heldout = await collect(config.heldoutData);
  } finally {
    fbar.stop();
    // With the cache the backbone is done; without it, every batch needs it.
    if (backbone && cache) {
      await (backbone as FrozenBackbone).close();
      backbone = null;
    }
  }
  const featureSeconds = (performance.now() - tf) / 1000;
  const computed = frames.computed + (heldout?.computed ?? 0);
  const total = frames.keys.length + (heldout?.keys.length ?? 0);
  log(
    `${stage}: ${frames.keys.length} frames from ${frames.episodes} episodes (layer ${layer} of ${numLayers}, ${dim}-wide features; ` +
      `${cache ? `${computed} computed, ${total - computed} read from the cache` : "computed per batch, no cache"}) in ${featureSeconds.toFixed(1)} s` +
      `${frames.skippedFrames ? `; ${frames.skippedFrames} frames skipped (undecodable images)` : ""}`,
  );

  const mode = config.normalization as NormalizationMode;
  const stats: NormalizationStats = {
    mode,
    state: vectorStats(frames.states, frames.stateDim),
    action: vectorStats(frames.allActions, frames.actionDim),
    binaryGripper: detectBinaryGripper(frames.allActions, frames.actionDim),
  };
  const hc = headConfig(core, config, dim, frames.stateDim, frames.actionDim);
  const head: ActionHeadHandle = latest ? await loadHead(core, latest.dir, device, dtype) : await core.initActionHead({ config: hc, device, dtype, seed: config.seed });
  const stop = new StopSignal();
  let undecodable = 0;
  try {
    const info = core.actionHeadInfo(head);
    const optim = await core.configureActionHeadOptimizer(head, { lr: config.lr, betas: [0.95, 0.999], eps: 1e-8, weightDecay: config.weightDecay, maxGradNorm: config.maxGradNorm, freeze: [] });
    let step = 0;
    if (latest) {
      await core.loadActionHeadOptimizerState(head, join(latest.dir, OPTIMIZER_STATE_FILE));
      step = latest.state.step;
      metrics.truncateAfter(stage, step);
      log(`${stage}: resuming from ${latest.dir} (step ${step})`);
    }
    const totalSteps = config.steps;
    const lr = lrSchedule("cosine", config.lr, totalSteps, config.warmupRatio);
    log(`${stage}: ${totalSteps} steps × ${config.batchSize} frames, head ${config.head} ${(info.numParameters / 1e6).toFixed(2)} M parameters (${(optim.trainable / 1e6).toFixed(2)} M trainable), horizon ${hc.actionHorizon}, lr ${config.lr} cosine (warmup ${lr.warmupSteps})`);

    /** Features of frames `idx`: from the cache, or from the backbone (an undecodable frame is replaced by the next one and counted). */
    const featuresOf = async (set: FrameSet, idx: number[]): Promise<VlFeatures[]> => {
      if (cache) return idx.map((i) => cache.get(set.keys[i]));
      const inputs: VlInput[] = [];
      for (const [r, i0] of idx.entries()) {
        for (let tries = 0, i = i0; ; i = (i + 1) % set.keys.length, tries++) {
          if (tries >= set.keys.length) throw new Error("no frame of the data decodes: check the episodes' images");
          const { ep, t } = set.sources![i];
          const images = await frameImages(ep, t);
          if (images) {
            inputs.push({ images, instruction: ep.instruction });
            idx[r] = i;
            break;
          }
          undecodable++;
        }
      }
      return (await openBackbone()).extract(inputs);
    };
    const rowsOf = async (set: FrameSet, idx: number[]) => {
      const features = await featuresOf(set, idx);
      const S = set.stateDim;
      const C = set.horizon * set.actionDim;
      const states = new Float64Array(idx.length * S);
      const chunks = new Float64Array(idx.length * C);
      idx.forEach((i, r) => {
        states.set(set.states.subarray(i * S, (i + 1) * S), r * S);
        chunks.set(set.chunks.subarray(i * C, (i + 1) * C), r * C);
      });
      return headBatch({ features, states, stateDim: S, chunks }, dim, stats);
    };
    const heldoutIdx = heldout ? Array.from({ length: Math.min(HELDOUT_MAX_FRAMES, heldout.keys.length) }, (_, i) => Math.floor((i * heldout!.keys.length) / Math.min(HELDOUT_MAX_FRAMES, heldout!.keys.length))) : [];
    // Held-out: the flow-matching loss at fixed noise, and the error of sampled chunks (normalised
    // units, real action dims only), the number that says how well the head predicts actions.
    const evaluate = async (at: number): Promise<{ loss: number; actionMse: number } | null> => {
      if (!heldout) return null;
      let sum = 0;
      let n = 0;
      let se = 0;
      let count = 0;
      for (let s = 0; s < heldoutIdx.length; s += config.batchSize) {
        const b = await rowsOf(heldout, heldoutIdx.slice(s, s + config.batchSize));
        for (const seed of HELDOUT_SEEDS) {
          sum += (await core.actionHeadLoss(head, b, { seed })).loss * b.batch;
          n += b.batch;
        }
        const sample = await core.actionHeadSample(head, b, { seed: HELDOUT_SEEDS[0], numSteps: config.denoisingSteps });
        const A = sample.shape[2];
        const D = heldout.actionDim;
        for (let r = 0; r < b.batch; r++) {
          for (let h = 0; h < config.actionHorizon; h++) {
            for (let k = 0; k < D; k++) {
              se += (sample.actions[(r * config.actionHorizon + h) * A + k] - b.actions![(r * config.actionHorizon + h) * D + k]) ** 2;
              count++;
            }
          }
        }
      }
      const r = { loss: sum / n, actionMse: se / count };
      metrics.write({ stage, step: at, heldoutLoss: r.loss, heldoutActionMse: r.actionMse });
      return r;
    };
    const checkpoint = async (at: number) => {
      const state: TrainerState = { stage, step: at, totalSteps, configDigest: digest, extra: { layer } };
      await store.write(state, async (dir) => {
        await saveHead(core, head, dir);
        await core.saveActionHeadOptimizerState(head, join(dir, OPTIMIZER_STATE_FILE));
      });
    };

    const heldoutBefore = latest ? null : await evaluate(0);
    let heldoutAfter: { loss: number; actionMse: number } | null = null;
    const losses: number[] = [];
    let firstLoss = Number.NaN;
    const bar = new StageProgress(stage, totalSteps, step, ["loss", "lr", "steps_s"], opts.progress);
    while (step < totalSteps) {
      const started = performance.now();
      const batch = await rowsOf(frames, stepDraws(config.seed, step, frames.keys.length, config.batchSize));
      const r = await core.actionHeadTrainStep(head, batch, { lr: lr.lrAt(step), seed: (config.seed * 1_000_003 + step) >>> 0 });
      const seconds = (performance.now() - started) / 1000;
      step += 1;
      if (Number.isNaN(firstLoss)) firstLoss = r.loss;
      losses.push(r.loss);
      metrics.write({ stage, step, loss: r.loss, gradNorm: r.gradNorm, lr: lr.lrAt(step - 1), seconds, applied: r.applied });
      bar.update(step, { loss: short(r.loss), lr: short(lr.lrAt(step - 1), 2), steps_s: short(1 / seconds) });
      if (config.evalEvery > 0 && step % config.evalEvery === 0 && step < totalSteps) heldoutAfter = await evaluate(step);
      const stopping = stop.stopRequested !== null;
      if (stopping || (config.saveEvery > 0 && step % config.saveEvery === 0 && step < totalSteps)) await checkpoint(step);
      if (stopping) {
        bar.stop();
        log(`${stage}: stopped by ${stop.stopRequested} at step ${step}; resume with --resume`);
        return { steps: step, firstLoss, lastLoss: mean(losses.slice(-20)), heldoutBefore, heldoutAfter, frames: frames.keys.length, layer, policyDir: "", seconds: (performance.now() - t0) / 1000, featureSeconds, stoppedBy: stop.stopRequested };
      }
    }
    bar.stop();
    heldoutAfter = await evaluate(step);
    await checkpoint(step);
    const policyDir = join(config.out, "policy");
    await writePolicyDir(core, policyDir, head, stats, {
      backbone: config.backbone,
      layer,
      normHidden: config.normHidden,
      stateDim: frames.stateDim,
      actionDim: frames.actionDim,
      horizon: config.actionHorizon,
      executeSteps: Math.min(config.executeSteps, config.actionHorizon),
      denoisingSteps: config.denoisingSteps,
      metadata: { action_horizon: config.actionHorizon, action_dim: frames.actionDim, layer },
    });
    return { steps: step, firstLoss, lastLoss: mean(losses.slice(-20)), heldoutBefore, heldoutAfter, frames: frames.keys.length, layer, policyDir, seconds: (performance.now() - t0) / 1000, featureSeconds, stoppedBy: null };
  } finally {
    stop.dispose();
    cache?.close();
    if (undecodable) log(`${stage}: ${undecodable} sampled frames did not decode and were replaced by the next frame`);
    await (backbone as FrozenBackbone | null)?.close();
    await core.disposeActionHead(head);
  }
}
