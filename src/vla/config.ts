// `roboalign vla train` settings and recipes. The paper (RoboAlign §4.3, shared/reference/action-head.md
// §7, §11.6): a newly initialised GR00T-N1.5 head on layer 18 of the frozen backbone, batch 32,
// AdamW (0.95, 0.999) wd 1e-5, lr 1e-4 cosine with 5% warmup, clip 1.0, dropout 0.2, 60k steps on
// LIBERO, 4 denoising steps. `small` is the embedded default's head: the same architecture, narrow.
import type { ActionHeadConfig, NativeCore } from "../native/contract.js";
import type { Schema } from "../train/schema.js";

export interface VlaTrainConfig {
  backbone: string;
  layer: number;
  normHidden: boolean;
  data: string[];
  heldoutData: string[];
  out: string;
  head: string;
  actionHorizon: number;
  dropout: number;
  steps: number;
  batchSize: number;
  lr: number;
  warmupRatio: number;
  weightDecay: number;
  maxGradNorm: number;
  normalization: string;
  frameStride: number;
  cacheFeatures: boolean;
  denoisingSteps: number;
  executeSteps: number;
  device: string;
  dtype: string;
  seed: number;
  saveEvery: number;
  keepCheckpoints: number;
  evalEvery: number;
}

export const VLA_TRAIN_SCHEMA: Schema<VlaTrainConfig> = {
  backbone: { type: "string", describe: "frozen MLLM: a Hugging Face Qwen2.5-VL folder with its tokenizer (e.g. runs/default/sft/model)" },
  layer: { type: "integer", min: 0, describe: "backbone hidden-state index the head reads (0 = the paper's 18-of-28 depth, scaled to the backbone)" },
  normHidden: { type: "boolean", describe: "apply the final RMSNorm to the layer's states (GR00T's truncated backbone)" },
  data: { type: "string[]", describe: "LeRobot datasets of robot episodes (images, state, actions, instruction)" },
  heldoutData: { type: "string[]", describe: "LeRobot datasets for the held-out flow-matching loss (empty = none)" },
  out: { type: "string", describe: "run folder: checkpoints/, metrics.jsonl, feature-cache/ and the policy in policy/" },
  head: { type: "string", choices: ["gr00t-n1.5", "small", "tiny"], describe: "action-head sizes (gr00t-n1.5 = the reference, 1.07 B parameters with a 3584-wide backbone)" },
  actionHorizon: { type: "integer", min: 1, describe: "actions per predicted chunk (GR00T: 16)" },
  dropout: { type: "number", min: 0, max: 1, describe: "dropout in the DiT and the VL adapter during training (GR00T: 0.2)" },
  steps: { type: "integer", min: 1, describe: "optimizer steps" },
  batchSize: { type: "integer", min: 1, describe: "frames per step" },
  lr: { type: "number", min: 0, describe: "peak learning rate" },
  warmupRatio: { type: "number", min: 0, max: 1, describe: "share of steps with linear warmup before the cosine decay" },
  weightDecay: { type: "number", min: 0, describe: "AdamW weight decay (not on biases and LayerNorm weights)" },
  maxGradNorm: { type: "number", min: 0, describe: "global gradient-norm clip (0 = off)" },
  normalization: { type: "string", choices: ["min_max", "mean_std"], describe: "state and action normalisation (min_max to [-1, 1] as GR00T's LIBERO configs)" },
  frameStride: { type: "integer", min: 1, describe: "train on every k-th frame of each episode (1 = all)" },
  cacheFeatures: { type: "boolean", describe: "compute each frame's backbone features once into <out>/feature-cache (false: run the backbone on every batch, for datasets whose features do not fit on disk)" },
  denoisingSteps: { type: "integer", min: 1, describe: "Euler steps at inference (GR00T: 4)" },
  executeSteps: { type: "integer", min: 1, describe: "actions of each chunk executed before the policy is queried again" },
  device: { type: "string", describe: "cpu, cuda or cuda:N" },
  dtype: { type: "string", choices: ["auto", "float32", "bfloat16"], describe: "backbone and head dtype; auto = bfloat16 on CUDA, float32 on CPU" },
  seed: { type: "integer", describe: "head initialisation, batch sampling and flow-matching noise seed" },
  saveEvery: { type: "integer", min: 0, describe: "checkpoint every N steps (0 = only at the end and on SIGINT/SIGTERM)" },
  keepCheckpoints: { type: "integer", min: 1, describe: "newest checkpoints kept" },
  evalEvery: { type: "integer", min: 0, describe: "held-out loss every N steps (0 = only at the end)" },
};

const COMMON: Omit<VlaTrainConfig, "backbone" | "data" | "heldoutData" | "out"> = {
  layer: 0,
  normHidden: true,
  head: "gr00t-n1.5",
  actionHorizon: 16,
  dropout: 0.2,
  steps: 60_000,
  batchSize: 32,
  lr: 1e-4,
  warmupRatio: 0.05,
  weightDecay: 1e-5,
  maxGradNorm: 1,
  normalization: "min_max",
  frameStride: 1,
  cacheFeatures: true,
  denoisingSteps: 4,
  executeSteps: 8,
  device: "cpu",
  dtype: "auto",
  seed: 0,
  saveEvery: 5000,
  keepCheckpoints: 2,
  evalEvery: 1000,
};

export const VLA_TRAIN_RECIPES: Record<string, VlaTrainConfig> = {
  "paper-libero": { ...COMMON, backbone: "", data: [], heldoutData: [], out: "runs/vla-libero", device: "cuda" },
  tiny: {
    ...COMMON,
    backbone: "",
    data: [],
    heldoutData: [],
    out: "runs/vla-tiny",
    head: "small",
    actionHorizon: 8,
    dropout: 0,
    steps: 400,
    batchSize: 32,
    lr: 1e-3,
    frameStride: 2,
    executeSteps: 4,
    saveEvery: 200,
    evalEvery: 100,
  },
};

/** The paper's depth (layer 18 of Qwen2.5-VL-7B's 28) scaled to a backbone with `layers` decoder layers. */
export function defaultLayer(layers: number): number {
  return Math.max(1, Math.min(layers, Math.round((18 / 28) * layers)));
}

/**
 * The head's full config: the preset, then the run's choices. One embodiment (reference §11.4),
 * the VL key-padding mask on (§11.3: rows are right-padded, so without it a frame's prediction would
 * depend on its batch), the state width covering the data's.
 */
export function headConfig(core: NativeCore, c: VlaTrainConfig, featureDim: number, stateDim: number, actionDim: number): ActionHeadConfig {
  const base =
    c.head === "small"
      ? {
          ...core.actionHeadPreset("tiny"),
          inputEmbeddingDim: 128,
          hiddenSize: 128,
          backboneEmbeddingDim: 128,
          ditNumLayers: 4,
          ditNumHeads: 4,
          ditHeadDim: 32,
          vlNumLayers: 2,
          vlNumHeads: 4,
          vlHeadDim: 32,
          numTargetVisionTokens: 8,
          maxSeqLen: 64,
        }
      : core.actionHeadPreset(c.head as "gr00t-n1.5" | "tiny");
  const cfg: ActionHeadConfig = {
    ...base,
    actionHorizon: c.actionHorizon,
    maxSeqLen: Math.max(base.maxSeqLen, c.actionHorizon),
    dropout: c.dropout,
    numInferenceTimesteps: c.denoisingSteps,
    backboneFeatureDim: featureDim,
    maxNumEmbodiments: 1,
    useVlMask: true,
  };
  cfg.maxStateDim = Math.max(cfg.maxStateDim, stateDim);
  if (actionDim > cfg.actionDim) throw new Error(`the data's actions have ${actionDim} dimensions but the ${c.head} head predicts ${cfg.actionDim}; pick a head with actionDim ≥ ${actionDim}`);
  return cfg;
}
