// Stage 1: supervised fine-tuning on a mixture (RoboAlign §4.1). Each optimizer step draws
// `samplesPerStep` samples in the mixture's seeded order, packs them into micro-batches under a
// token budget and runs one native step (exact gradient accumulation, clipping, AdamW) at the
// schedule's lr. The next step's samples are prepared while the native step runs. Checkpoints
// hold weights, optimizer state and the step, so `resume` continues on the same data order.
import { join } from "node:path";
import type { SampleTensors, TrainingSample } from "../../data/mixture/tensorize.js";
import { MixtureSchedule } from "../../data/mixture/schedule.js";
import type { Device, DType, NativeCore } from "../../native/contract.js";
import { OPTIMIZER_STATE_FILE, openRunState, type TrainerState } from "../checkpoint-store.js";
import { fastTokenAccuracy, type FastTokenAccuracy } from "../eval/fast-token-accuracy.js";
import { lrSchedule, type ScheduleName } from "../lr-schedule.js";
import { closeWorkspace, openWorkspace, saveWorkspaceModel, type Workspace } from "../model-workspace.js";
import { short, StageProgress } from "../progress.js";
import { packStep, tensorizeForWorkspace, type PackedStep } from "../sample-tensors.js";
import { StopSignal } from "../stop-signal.js";
import type { SftConfig } from "./config.js";

/** A source the trainer draws from: indexable, decoding images only on `get`. */
export interface TrainingSource {
  name: string;
  size: number;
  get(index: number): Promise<TrainingSample>;
}

export interface SftData {
  sources: TrainingSource[];
  /** Samples per epoch of each source (the mixture's counts), in `sources` order. */
  counts: number[];
  /** Held-out FAST action QA samples for the teacher-forced accuracy. */
  heldout: TrainingSample[];
}

export interface SftRunOptions {
  resume: boolean;
  progress: boolean;
  /** Stage name in metrics and checkpoints (the pipeline's base stage reuses this trainer). */
  stage?: string;
  log?: (line: string) => void;
}

export interface SftResult {
  stage: string;
  steps: number;
  totalSteps: number;
  firstLoss: number;
  /** Mean loss of the last min(10, steps) steps. */
  lastLoss: number;
  heldout: FastTokenAccuracy | null;
  heldoutBefore: FastTokenAccuracy | null;
  modelDir: string;
  seconds: number;
  /** Set when SIGINT/SIGTERM stopped the run (after writing a checkpoint). */
  stoppedBy: NodeJS.Signals | null;
  skippedTooLong: number;
}

const DIGEST_IGNORES = ["out", "saveEvery", "keepCheckpoints", "evalEvery", "device", "heldoutEpisodes", "heldoutSamples"];

export function resolveDtype(dtype: string, device: string): DType {
  if (dtype === "auto") return device.startsWith("cuda") ? "bfloat16" : "float32";
  return dtype as DType;
}

function schedulePosition(sampleIndex: number, epochSize: number) {
  return { epoch: Math.floor(sampleIndex / epochSize), step: sampleIndex % epochSize };
}

export async function runSft(core: NativeCore, config: SftConfig, makeData: (ws: Workspace) => Promise<SftData>, opts: SftRunOptions): Promise<SftResult> {
  const stage = opts.stage ?? "sft";
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const t0 = performance.now();
  const { store, metrics, digest, latest } = openRunState(config, DIGEST_IGNORES, opts.resume);
  const device = config.device as Device;
  const dtype = resolveDtype(config.dtype, config.device);
  const ws: Workspace = await openWorkspace(core, latest
    ? { model: join(latest.dir, "model"), tokenizer: "", fast: "", device, dtype, seed: config.seed }
    : { model: config.model, tokenizer: config.tokenizer, fast: config.fast, device, dtype, seed: config.seed });
  const stop = new StopSignal();
  try {
    const summary = await core.configureOptimizer(ws.handle, {
      lr: config.lr,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: config.weightDecay,
      maxGradNorm: config.maxGradNorm,
      freeze: config.freezeVision ? ["visual.*"] : [],
    });
    const data = await makeData(ws);
    let step = 0;
    if (latest) {
      await core.loadOptimizerState(ws.handle, join(latest.dir, OPTIMIZER_STATE_FILE));
      step = latest.state.step;
      metrics.truncateAfter(stage, step);
      log(`${stage}: resuming from ${latest.dir} (step ${step})`);
    }
    if (data.sources.length !== data.counts.length) throw new Error("each source needs a sample count");
    for (const [i, s] of data.sources.entries()) {
      if (data.counts[i] > 0 && s.size === 0) throw new Error(`source ${s.name} has no samples (check its episodes/path)`);
    }
    const schedule = new MixtureSchedule(data.counts, (config.seed >>> 0) + 1);
    const epochSize = schedule.epochSize;
    const totalSteps = config.maxSteps > 0 ? config.maxSteps : Math.max(1, Math.floor((config.epochs * epochSize) / config.samplesPerStep));
    const lr = lrSchedule(config.schedule as ScheduleName, config.lr, totalSteps, config.warmupRatio);
    log(`${stage}: ${totalSteps} steps × ${config.samplesPerStep} samples (epoch ${epochSize} samples from ${data.sources.length} sources), ${(summary.trainable / 1e6).toFixed(2)} M trainable / ${(summary.frozen / 1e6).toFixed(2)} M frozen, lr ${config.lr} ${config.schedule} (warmup ${lr.warmupSteps})`);

    const heldoutTensors: SampleTensors[] = [];
    for (const s of data.heldout) heldoutTensors.push(await tensorizeForWorkspace(ws, s));
    const evaluate = async (at: number) => {
      if (!heldoutTensors.length) return null;
      const r = await fastTokenAccuracy(ws, heldoutTensors);
      metrics.write({ stage, step: at, heldoutFastTokenAccuracy: r.accuracy, heldoutExactAnswers: r.exact, heldoutTokens: r.tokens });
      return r;
    };
    const heldoutBefore = latest ? null : await evaluate(0);

    const prepare = async (k: number): Promise<PackedStep> => {
      const tensors: SampleTensors[] = [];
      for (const d of schedule.draws(schedulePosition(k * config.samplesPerStep, epochSize), config.samplesPerStep)) {
        const src = data.sources[d.source];
        tensors.push(await tensorizeForWorkspace(ws, await src.get(d.index % src.size)));
      }
      return packStep(tensors, config.microBatchTokens, ws.padId);
    };

    const losses: number[] = [];
    let firstLoss = Number.NaN;
    let skippedTooLong = 0;
    const bar = new StageProgress(stage, totalSteps, step, ["loss", "lr", "tok_s"], opts.progress);
    const checkpoint = async (at: number) => {
      const state: TrainerState = { stage, step: at, totalSteps, configDigest: digest, extra: {} };
      await store.write(state, async (dir) => {
        await saveWorkspaceModel(ws, join(dir, "model"));
        await core.saveOptimizerState(ws.handle, join(dir, OPTIMIZER_STATE_FILE));
      });
    };
    let pending = step < totalSteps ? prepare(step) : null;
    let heldout: FastTokenAccuracy | null = null;
    while (pending) {
      const packed = await pending;
      skippedTooLong += packed.skippedTooLong;
      const started = performance.now();
      const running = packed.microBatches.length
        ? core.sftStep(ws.handle, { microBatches: packed.microBatches, lr: lr.lrAt(step) })
        : Promise.resolve(null);
      pending = step + 1 < totalSteps ? prepare(step + 1) : null;
      const r = await running;
      const seconds = (performance.now() - started) / 1000;
      step += 1;
      if (r) {
        if (Number.isNaN(firstLoss)) firstLoss = r.loss;
        losses.push(r.loss);
        metrics.write({ stage, step, loss: r.loss, gradNorm: r.gradNorm, lr: lr.lrAt(step - 1), targetTokens: r.tokens, tokens: packed.tokens, images: packed.images, samples: packed.samples, microBatches: packed.microBatches.length, tokensPerSec: packed.tokens / seconds, seconds, applied: r.applied });
        bar.update(step, { loss: short(r.loss), lr: short(lr.lrAt(step - 1), 2), tok_s: short(packed.tokens / seconds) });
      }
      if (config.evalEvery > 0 && step % config.evalEvery === 0 && step < totalSteps) heldout = await evaluate(step);
      const stopping = stop.stopRequested !== null;
      if (stopping || (config.saveEvery > 0 && step % config.saveEvery === 0 && step < totalSteps)) await checkpoint(step);
      if (stopping) {
        bar.stop();
        log(`${stage}: stopped by ${stop.stopRequested} at step ${step}; resume with --resume`);
        return { stage, steps: step, totalSteps, firstLoss, lastLoss: mean(losses.slice(-10)), heldout, heldoutBefore, modelDir: "", seconds: (performance.now() - t0) / 1000, stoppedBy: stop.stopRequested, skippedTooLong };
      }
    }
    bar.stop();
    heldout = await evaluate(step);
    await checkpoint(step);
    const modelDir = join(config.out, "model");
    await saveWorkspaceModel(ws, modelDir);
    if (skippedTooLong) log(`${stage}: ${skippedTooLong} samples were longer than microBatchTokens=${config.microBatchTokens} and skipped`);
    return { stage, steps: step, totalSteps, firstLoss, lastLoss: mean(losses.slice(-10)), heldout, heldoutBefore, modelDir, seconds: (performance.now() - t0) / 1000, stoppedBy: null, skippedTooLong };
  } finally {
    stop.dispose();
    await closeWorkspace(ws);
  }
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}
