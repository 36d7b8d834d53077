// Stage 2: GRPO as EasyR1 computes it (reference/grpo.md §2). Per rollout step: n samples per
// prompt (1), reward on ids (3), group advantages in float32 (6), old and reference log-probs
// for the whole batch (7), then one optimizer step per mini-batch of `updateBatch` prompts with
// the dual-clip PPO loss and the k3 KL in the loss, token-mean exact across micro-batches
// (8)–(14). The reference model is the starting weights, frozen. Checkpoints and resume as in
// Stage 1 (the prompt order and sampling seeds follow from the seed and the step).
import { join } from "node:path";
import type { Device, NativeCore, PolicyStepResult } from "../../native/contract.js";
import { loadCheckpoint } from "../../model/checkpoint.js";
import { grpoAdvantages } from "../../rl/advantage.js";
import type { RewardFunction, RewardScore } from "../../rl/reward/context.js";
import { createReward } from "../../rl/reward/registry.js";
import { TokenByteTable } from "../../rl/reward/token-bytes.js";
import { rng } from "../../util/random.js";
import { OPTIMIZER_STATE_FILE, openRunState } from "../checkpoint-store.js";
import { heldoutRewards, type HeldoutReward } from "../eval/heldout-rewards.js";
import { closeWorkspace, openWorkspace, saveWorkspaceModel, type Workspace } from "../model-workspace.js";
import { short, StageProgress } from "../progress.js";
import { StopSignal } from "../stop-signal.js";
import { resolveDtype } from "../sft/trainer.js";
import type { GrpoConfig } from "./config.js";
import { attachLogprobs, collateRows, packRows, type ResponseRow } from "./experience.js";
import { encodePrompt, type PromptLike } from "./prompt-tensors.js";
import { rollout } from "./rollout.js";

export interface RlPromptLike extends PromptLike {
  targetFastIds: number[];
}

export interface GrpoData {
  prompts: { size: number; get(index: number): Promise<RlPromptLike> };
  heldout: RlPromptLike[];
}

export interface GrpoResult {
  steps: number;
  totalSteps: number;
  before: HeldoutReward | null;
  after: HeldoutReward | null;
  modelDir: string;
  seconds: number;
  stoppedBy: NodeJS.Signals | null;
}

const DIGEST_IGNORES = ["out", "saveEvery", "keepCheckpoints", "evalEvery", "device", "heldoutPrompts", "heldoutCount"];

/** Prompt indices of rollout step k: a seeded shuffle per epoch (EasyR1 shuffles with data.seed). */
function promptOrder(size: number, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from({ length: size }, (_, i) => i);
  const r = rng((seed * 2_654_435_761 + epoch * 40_503) >>> 0);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : 0;
}

function std(xs: number[]): number {
  const m = mean(xs);
  return xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) : 0;
}

export async function runGrpo(core: NativeCore, config: GrpoConfig, makeData: (ws: Workspace) => Promise<GrpoData>, opts: { resume: boolean; progress: boolean; log?: (line: string) => void }): Promise<GrpoResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!config.useKlLoss && config.klCoef > 0) {
    throw new Error("useKlLoss=false with klCoef > 0 (KL in the reward, formula (4)) is not supported by this trainer; use the EasyR1 default useKlLoss=true, or klCoef=0");
  }
  const t0 = performance.now();
  const stage = "grpo";
  const { store, metrics, digest, latest } = openRunState(config, DIGEST_IGNORES, opts.resume);
  const device = config.device as Device;
  const dtype = resolveDtype(config.dtype, config.device);
  const ws: Workspace = await openWorkspace(core, { model: latest ? join(latest.dir, "model") : config.model, tokenizer: "", fast: "", device, dtype, seed: config.seed });
  const needRef = config.useKlLoss && config.klCoef > 0;
  const ref = needRef ? (await loadCheckpoint(core, config.model, { device, dtype })).handle : null;
  const stop = new StopSignal();
  try {
    await core.configureOptimizer(ws.handle, { lr: config.lr, betas: [0.9, 0.999], eps: 1e-8, weightDecay: config.weightDecay, maxGradNorm: config.maxGradNorm, freeze: config.freezeVision ? ["visual.*"] : [] });
    const data = await makeData(ws);
    let step = 0;
    if (latest) {
      await core.loadOptimizerState(ws.handle, join(latest.dir, OPTIMIZER_STATE_FILE));
      step = latest.state.step;
      metrics.truncateAfter(stage, step);
      log(`grpo: resuming from ${latest.dir} (rollout step ${step})`);
    }
    const reward = createReward(config.reward, { tokenBytes: TokenByteTable.fromTextTokenizer(ws.tokenizer), eosIds: ws.eosIds, actionVocab: ws.vocab }) as RewardFunction<number[], RewardScore>;
    const N = data.prompts.size;
    if (N < config.rolloutBatch) throw new Error(`the prompt set has ${N} prompts, fewer than rolloutBatch=${config.rolloutBatch}`);
    const stepsPerEpoch = Math.floor(N / config.rolloutBatch);
    const totalSteps = config.maxRolloutSteps > 0 ? config.maxRolloutSteps : Math.max(1, Math.floor(config.epochs * stepsPerEpoch));
    const n = config.samplesPerPrompt;
    const lossOptions = {
      clipRatioLow: config.clipRatioLow,
      clipRatioHigh: config.clipRatioHigh,
      clipRatioDual: config.clipRatioDual,
      klCoef: needRef ? config.klCoef : 0,
      klPenalty: config.klPenalty as "low_var_kl" | "kl" | "abs" | "mse",
      useKlLoss: needRef,
      lossAvgMode: config.lossAvgMode as "token" | "seq",
      temperature: config.temperature,
    };
    const heldoutSet = data.heldout.slice(0, config.heldoutCount).map((p) => ({ ...p, groundTruth: p.targetFastIds }));
    const evaluate = async (when: string, at: number) => {
      if (!heldoutSet.length) return null;
      const r = await heldoutRewards(ws, heldoutSet, reward, config.maxResponseLength);
      metrics.write({ stage: "grpo-eval", when, step: at, heldoutReward: r.reward, heldoutFormat: r.format, heldoutAccuracy: r.accuracy, heldoutRewardSem: r.rewardSem, heldoutResponseLength: r.responseLength, heldoutPrompts: r.prompts });
      return r;
    };
    const before = latest ? null : await evaluate("before", 0);
    const updatesPerStep = Math.ceil(config.rolloutBatch / config.updateBatch);
    log(`grpo: ${totalSteps} rollout steps × ${config.rolloutBatch} prompts × ${n} samples, ${updatesPerStep} optimizer steps each; lr ${config.lr}, β ${lossOptions.klCoef}, clip ${config.clipRatioLow}/${config.clipRatioHigh}/${config.clipRatioDual}`);
    const bar = new StageProgress("grpo", totalSteps, step, ["reward", "format", "acc", "len"], opts.progress);
    const checkpoint = async (at: number) => {
      await store.write({ stage, step: at, totalSteps, configDigest: digest, extra: {} }, async (dir) => {
        await saveWorkspaceModel(ws, join(dir, "model"));
        await core.saveOptimizerState(ws.handle, join(dir, OPTIMIZER_STATE_FILE));
      });
    };
    let order: Int32Array = new Int32Array(0);
    let orderEpoch = -1;
    while (step < totalSteps) {
      const epoch = Math.floor(step / stepsPerEpoch);
      if (epoch !== orderEpoch) {
        order = promptOrder(N, config.seed, epoch);
        orderEpoch = epoch;
      }
      const first = (step % stepsPerEpoch) * config.rolloutBatch;
      const batch = await Promise.all(Array.from(order.subarray(first, first + config.rolloutBatch), (i) => data.prompts.get(i)));
      const encoded = await Promise.all(batch.map((p) => encodePrompt(ws, p)));

      const ro = await rollout(ws, encoded, { samplesPerPrompt: n, temperature: config.temperature, topP: config.topP, maxNewTokens: config.maxResponseLength, seed: (config.seed * 1_000_003 + step * 7_919) >>> 0 });
      const scores = ro.responses.map((ids, i) => reward.score({ responseIds: ids, groundTruth: batch[Math.floor(i / n)].targetFastIds }));
      const overall = scores.map((s) => s.overall);
      const adv = grpoAdvantages(overall, n, { guardIdenticalGroups: config.guardIdenticalGroups });
      const rows: ResponseRow[] = ro.responses.map((response, i) => ({ prompt: encoded[Math.floor(i / n)], response, advantage: adv.perSample[i] }));

      const updateStart = performance.now();
      const miniBatches = [];
      for (let s = 0; s < rows.length; s += config.updateBatch * n) {
        const mini = rows.slice(s, s + config.updateBatch * n);
        miniBatches.push(packRows(mini, config.microBatchTokens).map((idx) => collateRows(ws, idx.map((k) => mini[k]))));
      }
      const lp = await attachLogprobs(ws, ref, miniBatches.flat(), config.temperature);
      const results: PolicyStepResult[] = [];
      for (const micro of miniBatches) results.push(await core.policyStep(ws.handle, { microBatches: micro, lr: config.lr, loss: lossOptions }));
      const updateSeconds = (performance.now() - updateStart) / 1000;
      step += 1;
      const avg = (f: (r: PolicyStepResult) => number) => mean(results.map(f));
      const lengths = ro.responses.map((r) => r.length);
      const record = {
        stage,
        step,
        rewardMean: mean(overall),
        rewardStd: std(overall),
        format: mean(scores.map((s) => s.format)),
        accuracy: mean(scores.map((s) => s.accuracy)),
        responseLength: mean(lengths),
        truncatedShare: mean(ro.truncated.map(Number)),
        groupsWithSignal: adv.groups.filter((g) => g.std > 0).length / adv.groups.length,
        pgLoss: avg((r) => r.pgLoss),
        klLoss: avg((r) => r.klLoss),
        ppoKl: avg((r) => r.ppoKl),
        clipfracHigher: avg((r) => r.clipfracHigher),
        clipfracLower: avg((r) => r.clipfracLower),
        entropy: lp.entropy,
        gradNorm: avg((r) => r.gradNorm),
        updatesApplied: results.filter((r) => r.applied).length,
        rolloutTokensPerSec: ro.generatedTokens / Math.max(ro.seconds, 1e-9),
        rolloutSeconds: ro.seconds,
        updateSeconds,
      };
      metrics.write(record);
      bar.update(step, { reward: short(record.rewardMean), format: short(record.format), acc: short(record.accuracy), len: short(record.responseLength) });
      if (config.evalEvery > 0 && step % config.evalEvery === 0 && step < totalSteps) await evaluate("during", step);
      const stopping = stop.stopRequested !== null;
      if (stopping || (config.saveEvery > 0 && step % config.saveEvery === 0 && step < totalSteps)) await checkpoint(step);
      if (stopping) {
        bar.stop();
        log(`grpo: stopped by ${stop.stopRequested} at rollout step ${step}; resume with --resume`);
        return { steps: step, totalSteps, before, after: null, modelDir: "", seconds: (performance.now() - t0) / 1000, stoppedBy: stop.stopRequested };
      }
    }
    bar.stop();
    const after = await evaluate("after", step);
    await checkpoint(step);
    const modelDir = join(config.out, "model");
    await saveWorkspaceModel(ws, modelDir);
    return { steps: step, totalSteps, before, after, modelDir, seconds: (performance.now() - t0) / 1000, stoppedBy: null };
  } finally {
    stop.dispose();
    if (ref !== null) await core.dispose(ref);
    await closeWorkspace(ws);
  }
}
