// Stage 2 (GRPO) settings and the named recipes. `paper-7b` is RoboAlign §4 on EasyR1's defaults
// (reference/grpo.md §3): rollout batch 512 prompts × 5 samples at temperature 1, update batch
// 128 prompts (4 optimizer steps per rollout step), constant lr 1e-6, weight decay 1e-2, clip
// 0.2/0.3 with dual clip 3.0, k3 KL in the loss with β = 0.01, token-mean aggregation, 1 epoch.
import type { Schema } from "../schema.js";

export interface GrpoConfig {
  model: string;
  prompts: string[];
  heldoutPrompts: string[];
  reward: string;
  out: string;
  epochs: number;
  maxRolloutSteps: number;
  rolloutBatch: number;
  samplesPerPrompt: number;
  updateBatch: number;
  microBatchTokens: number;
  temperature: number;
  topP: number;
  maxResponseLength: number;
  lr: number;
  weightDecay: number;
  maxGradNorm: number;
  clipRatioLow: number;
  clipRatioHigh: number;
  clipRatioDual: number;
  klCoef: number;
  klPenalty: string;
  useKlLoss: boolean;
  lossAvgMode: string;
  guardIdenticalGroups: boolean;
  freezeVision: boolean;
  device: string;
  dtype: string;
  seed: number;
  saveEvery: number;
  keepCheckpoints: number;
  evalEvery: number;
  heldoutCount: number;
  actionHorizon: number;
}

export const GRPO_SCHEMA: Schema<GrpoConfig> = {
  model: { type: "string", describe: "the Stage-1 model folder (policy and frozen reference start here)" },
  prompts: { type: "string[]", describe: "LeRobot datasets whose episodes give the RL prompts (image + Figure 5 prompt, target FAST ids)" },
  heldoutPrompts: { type: "string[]", describe: "LeRobot datasets for held-out reward before and after RL (empty = none)" },
  reward: { type: "string", describe: "reward function from the registry (roboalign = (format + FAST prefix accuracy) / 2)" },
  out: { type: "string", describe: "run folder (checkpoints, metrics.jsonl, final model in model/)" },
  epochs: { type: "number", above: 0, describe: "passes over the prompt set" },
  maxRolloutSteps: { type: "integer", min: 0, describe: "stop after this many rollout steps (0 = epochs decide)" },
  rolloutBatch: { type: "integer", min: 1, describe: "prompts per rollout step" },
  samplesPerPrompt: { type: "integer", min: 2, describe: "responses per prompt (the group size n)" },
  updateBatch: { type: "integer", min: 1, describe: "prompts per optimizer step (mini-batch of updateBatch × n responses)" },
  microBatchTokens: { type: "integer", min: 16, describe: "padded tokens per micro-batch of the update and of log-prob passes" },
  temperature: { type: "number", above: 0, describe: "rollout sampling temperature (log-probs use the same)" },
  topP: { type: "number", above: 0, max: 1, describe: "rollout nucleus mass" },
  maxResponseLength: { type: "integer", min: 1, describe: "generated tokens per response at most (truncated responses stay unmasked)" },
  lr: { type: "number", min: 0, describe: "constant learning rate" },
  weightDecay: { type: "number", min: 0, describe: "AdamW weight decay" },
  maxGradNorm: { type: "number", min: 0, describe: "global gradient-norm clip" },
  clipRatioLow: { type: "number", min: 0, describe: "PPO clip ε low" },
  clipRatioHigh: { type: "number", min: 0, describe: "PPO clip ε high" },
  clipRatioDual: { type: "number", above: 1, describe: "dual-clip constant c for negative advantages" },
  klCoef: { type: "number", min: 0, describe: "β of the KL term" },
  klPenalty: { type: "string", choices: ["low_var_kl", "kl", "abs", "mse"], describe: "KL estimator" },
  useKlLoss: { type: "boolean", describe: "KL in the loss (EasyR1 default) instead of in the reward" },
  lossAvgMode: { type: "string", choices: ["token", "seq"], describe: "loss aggregation over the mini-batch" },
  guardIdenticalGroups: { type: "boolean", describe: "advantage 0 for groups with equal rewards (EasyR1's float32 arithmetic can give ±0.056 there)" },
  freezeVision: { type: "boolean", describe: "keep the vision tower frozen (EasyR1 trains it)" },
  device: { type: "string", describe: "cpu, cuda or cuda:N" },
  dtype: { type: "string", choices: ["auto", "float32", "bfloat16"], describe: "weights dtype; auto = bfloat16 on CUDA, float32 on CPU" },
  seed: { type: "integer", describe: "prompt order and sampling seed" },
  saveEvery: { type: "integer", min: 0, describe: "checkpoint every N rollout steps (0 = only at the end and on SIGINT/SIGTERM)" },
  keepCheckpoints: { type: "integer", min: 1, describe: "newest checkpoints kept" },
  evalEvery: { type: "integer", min: 0, describe: "held-out reward every N rollout steps (0 = before and after only)" },
  heldoutCount: { type: "integer", min: 0, describe: "held-out prompts scored (greedy decoding)" },
  actionHorizon: { type: "integer", min: 1, describe: "actions per FAST chunk (as in Stage 1)" },
};

const EASYR1: Omit<GrpoConfig, "model" | "prompts" | "heldoutPrompts" | "out"> = {
  reward: "roboalign",
  epochs: 1,
  maxRolloutSteps: 0,
  rolloutBatch: 512,
  samplesPerPrompt: 5,
  updateBatch: 128,
  microBatchTokens: 16384,
  temperature: 1,
  topP: 1,
  maxResponseLength: 2048,
  lr: 1e-6,
  weightDecay: 1e-2,
  maxGradNorm: 1,
  clipRatioLow: 0.2,
  clipRatioHigh: 0.3,
  clipRatioDual: 3,
  klCoef: 1e-2,
  klPenalty: "low_var_kl",
  useKlLoss: true,
  lossAvgMode: "token",
  guardIdenticalGroups: false,
  freezeVision: false,
  device: "cpu",
  dtype: "auto",
  seed: 1,
  saveEvery: 5,
  keepCheckpoints: 2,
  evalEvery: 0,
  heldoutCount: 256,
  actionHorizon: 10,
};

export const GRPO_RECIPES: Record<string, GrpoConfig> = {
  "paper-7b": { ...EASYR1, model: "runs/sft-paper-7b/model", prompts: [], heldoutPrompts: [], out: "runs/grpo-paper-7b", device: "cuda", actionHorizon: 5 },
  tiny: {
    ...EASYR1,
    model: "runs/sft-tiny/model",
    prompts: [],
    heldoutPrompts: [],
    out: "runs/grpo-tiny",
    rolloutBatch: 16,
    updateBatch: 8,
    microBatchTokens: 4096,
    maxResponseLength: 64,
    lr: 1e-4,
    saveEvery: 5,
    heldoutCount: 64,
  },
};
