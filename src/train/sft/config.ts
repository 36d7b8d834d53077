// Stage 1 (supervised fine-tuning) settings and the named recipes. `paper-7b` is RoboAlign §4
// (Qwen2.5-VL-7B-Instruct, frozen vision tower, cosine lr 2e-5, warmup ratio 0.03, 1 epoch);
// its global batch of 128 is the Qwen2.5-VL finetune repository's (4 per device × 4
// accumulation × 8 GPUs), which the paper does not state. `tiny` is the embedded default.
import type { Schema } from "../schema.js";

export interface SftConfig {
  model: string;
  tokenizer: string;
  fast: string;
  mixture: string;
  episodes: string[];
  kinds: string[];
  heldoutEpisodes: string[];
  out: string;
  epochs: number;
  maxSteps: number;
  samplesPerStep: number;
  microBatchTokens: number;
  lr: number;
  schedule: string;
  warmupRatio: number;
  weightDecay: number;
  maxGradNorm: number;
  freezeVision: boolean;
  device: string;
  dtype: string;
  seed: number;
  saveEvery: number;
  keepCheckpoints: number;
  evalEvery: number;
  heldoutSamples: number;
  actionHorizon: number;
}

export const SFT_SCHEMA: Schema<SftConfig> = {
  model: { type: "string", describe: "Hugging Face checkpoint folder, or preset:NAME (e.g. preset:tiny) for a random model" },
  tokenizer: { type: "string", describe: "tokenizer folder (empty = the model's; required for presets)" },
  fast: { type: "string", describe: "FAST tokenizer folder (from `roboalign fast fit`); empty = <model>/fast" },
  mixture: { type: "string", describe: "mixture recipe name (embedded, paper-a3) or a JSON/YAML mixture file" },
  episodes: { type: "string[]", describe: "LeRobot datasets whose episodes feed the embedded sources" },
  kinds: { type: "string[]", describe: "train only on sources of these kinds (empty = all)" },
  heldoutEpisodes: { type: "string[]", describe: "LeRobot datasets for the held-out FAST-token accuracy (empty = no held-out eval)" },
  out: { type: "string", describe: "run folder (checkpoints, metrics.jsonl, final model in model/)" },
  epochs: { type: "number", above: 0, describe: "passes over the mixture" },
  maxSteps: { type: "integer", min: 0, describe: "stop after this many optimizer steps (0 = epochs decide)" },
  samplesPerStep: { type: "integer", min: 1, describe: "samples per optimizer step (the global batch)" },
  microBatchTokens: { type: "integer", min: 16, describe: "padded tokens per micro-batch; a step's samples are packed into micro-batches of this budget and their gradients accumulated" },
  lr: { type: "number", min: 0, describe: "peak learning rate" },
  schedule: { type: "string", choices: ["cosine", "linear", "constant"], describe: "learning-rate schedule after warmup" },
  warmupRatio: { type: "number", min: 0, max: 1, describe: "share of steps with linear warmup" },
  weightDecay: { type: "number", min: 0, describe: "AdamW weight decay (not on biases and norms)" },
  maxGradNorm: { type: "number", min: 0, describe: "global gradient-norm clip (0 = off)" },
  freezeVision: { type: "boolean", describe: "keep the vision tower frozen (the paper does)" },
  device: { type: "string", describe: "cpu, cuda or cuda:N" },
  dtype: { type: "string", choices: ["auto", "float32", "bfloat16"], describe: "weights dtype; auto = bfloat16 on CUDA, float32 on CPU" },
  seed: { type: "integer", describe: "data order and initialisation seed" },
  saveEvery: { type: "integer", min: 0, describe: "checkpoint every N steps (0 = only at the end and on SIGINT/SIGTERM)" },
  keepCheckpoints: { type: "integer", min: 1, describe: "newest checkpoints kept" },
  evalEvery: { type: "integer", min: 0, describe: "held-out FAST-token accuracy every N steps (0 = only at the end)" },
  heldoutSamples: { type: "integer", min: 0, describe: "held-out FAST action QA samples" },
  actionHorizon: { type: "integer", min: 1, describe: "actions per FAST chunk (the chunk the model predicts)" },
};

const COMMON: Omit<SftConfig, "model" | "tokenizer" | "fast" | "mixture" | "episodes" | "heldoutEpisodes" | "out"> = {
  kinds: [],
  epochs: 1,
  maxSteps: 0,
  samplesPerStep: 128,
  microBatchTokens: 16384,
  lr: 2e-5,
  schedule: "cosine",
  warmupRatio: 0.03,
  weightDecay: 0,
  maxGradNorm: 1,
  freezeVision: true,
  device: "cpu",
  dtype: "auto",
  seed: 0,
  saveEvery: 500,
  keepCheckpoints: 2,
  evalEvery: 0,
  heldoutSamples: 256,
  actionHorizon: 10,
};

export const SFT_RECIPES: Record<string, SftConfig> = {
  "paper-7b": {
    ...COMMON,
    model: "Qwen/Qwen2.5-VL-7B-Instruct",
    tokenizer: "",
    fast: "",
    mixture: "paper-a3",
    episodes: [],
    heldoutEpisodes: [],
    out: "runs/sft-paper-7b",
    device: "cuda",
    saveEvery: 1000,
    evalEvery: 1000,
    actionHorizon: 5,
  },
  tiny: {
    ...COMMON,
    model: "preset:tiny",
    tokenizer: "",
    fast: "",
    mixture: "embedded",
    episodes: [],
    heldoutEpisodes: [],
    out: "runs/sft-tiny",
    samplesPerStep: 16,
    microBatchTokens: 4096,
    lr: 3e-3,
    saveEvery: 50,
    evalEvery: 25,
    heldoutSamples: 64,
  },
};
