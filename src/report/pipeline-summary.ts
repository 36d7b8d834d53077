// The pipeline summary: what one end-to-end run (base → SFT → GRPO, with held-out evaluations) reports
// about itself, as written to summary.json by the pipeline and read by the report; plus its validation.

/** Wall-clock time of one pipeline stage. */
export interface StageTiming {
  /** Stage name as the pipeline calls it, e.g. "data", "sft", "grpo", "eval". */
  name: string;
  /** Wall-clock seconds the stage took, from start to finish (including its evaluations and checkpoint writes). */
  seconds: number;
}

/** Loss of a supervised stage, from its first and last optimizer step. */
export interface LossSummary {
  /** Training loss (mean token cross-entropy of the batch, nats) at the first optimizer step. */
  firstLoss: number;
  /** Training loss at the last optimizer step (a single batch, so noisy; the figure shows the trend). */
  lastLoss: number;
  /** Optimizer steps the stage ran. */
  steps: number;
}

/** GRPO stage outcome, from its first and last step. */
export interface GrpoSummary {
  /** GRPO optimizer steps run. */
  steps: number;
  /** Mean reward over the sampled completions of the first step. */
  firstRewardMean: number;
  /** Mean reward over the sampled completions of the last step. */
  lastRewardMean: number;
  /** Completions sampled per prompt (the group whose rewards are normalised against each other). */
  groupSize?: number;
  /** Prompts per GRPO step. */
  promptsPerStep?: number;
}

/** Scores of one checkpoint on the held-out prompts, each the mean over prompts. */
export interface HeldoutScores {
  /**
   * FAST prefix accuracy in [0, 1]: the reward's accuracy part, LCP(generated, reference) / length(reference)
   * on FAST action ids, i.e. the share of the reference tokens the greedy response reproduces before its
   * first wrong token, averaged over prompts.
   */
  fastAccuracy: number;
  /** Mean reward of the greedy responses, from the reward function GRPO optimises ((format + accuracy) / 2 for `roboalign`). */
  reward: number;
  /** Share of responses in [0, 1] with the required shape (one `<think>…</think>` then one `<answer>…</answer>`). */
  format: number;
  /** Standard error of the mean FAST prefix accuracy over prompts; gives its error bar when present. */
  fastAccuracySem?: number;
  /** Standard error of the mean reward over prompts (`rewardSem` of the held-out evaluation); gives its error bar when present. */
  rewardSem?: number;
}

/** Held-out evaluation of the checkpoints along the pipeline, all on the same prompts. */
export interface HeldoutSummary {
  /** Number of held-out prompts (never trained on) each score averages over. */
  prompts: number;
  /** The checkpoint the pipeline started from, before any training. Also the RL start when SFT is skipped. */
  before: HeldoutScores;
  /** After SFT, which is where RL starts; absent when the pipeline skips SFT or did not evaluate there. */
  afterSft?: HeldoutScores;
  /** The final checkpoint, after GRPO. */
  afterRl: HeldoutScores;
}

/** Closed-loop success of one VLA on one suite (or the average over suites). */
export interface VlaRate {
  /** Suite name, or "average" (the mean of the suite rates; its interval counts all episodes). */
  suite: string;
  successes: number;
  /** Episodes evaluated. */
  trials: number;
  /** successes / trials (for "average": the mean of the suite rates). */
  rate: number;
  /** 95% Wilson interval of the rate. */
  ciLow: number;
  ciHigh: number;
}

/** A VLA built on one backbone: its action-head training and closed-loop success. */
export interface VlaBackboneSummary {
  /** Which backbone: "base", "sft" or "sft+rl". */
  name: string;
  /** Backbone hidden-state index the head reads. */
  layer: number;
  /** Flow-matching loss of the head: mean of the first and of the last steps. */
  firstLoss: number;
  lastLoss: number;
  /** Held-out flow-matching loss at fixed noise after training (NaN without held-out episodes). */
  heldoutLoss: number;
  /** Held-out MSE of sampled action chunks against the expert's, in normalised units (NaN without held-out episodes). */
  heldoutActionMse: number;
  rates: VlaRate[];
}

/** The paper's central comparison at miniature scale: one VLA per backbone, evaluated closed-loop. */
export interface VlaSummary {
  /** Head training steps per backbone. */
  steps: number;
  /** Initial states per task evaluated. */
  trialsPerTask: number;
  /** Index of the first initial state evaluated (states below it recorded training data). */
  firstInitialState: number;
  /** Policy steps per episode at most. */
  maxSteps: number;
  /** Actions executed per inferred chunk, and the chunk length. */
  executeSteps: number;
  horizon: number;
  denoisingSteps: number;
  backbones: VlaBackboneSummary[];
  /** Closed-loop report folder, relative to the run directory. */
  reportDir: string;
}

export interface PipelineSummary {
  /** Format version of this object; the report reads version 1. */
  version: 1;
  /** Name of the configuration preset the run used (model size, steps, batch sizes). */
  preset: string;
  /** Wall time per pipeline stage, in run order. */
  stages: StageTiming[];
  /** Supervised fine-tuning on FAST action-token targets. */
  sft: LossSummary;
  /** An earlier supervised "base" stage (metrics stage "base") that SFT continues from, when the pipeline ran one. */
  base?: LossSummary;
  /** The GRPO stage, when the pipeline ran one. */
  grpo?: GrpoSummary;
  /** Held-out evaluation before training, after SFT and after RL. */
  heldout: HeldoutSummary;
  /** Checkpoint or model name the run started from. */
  backbone?: string;
  /** Random seed of the run. */
  seed?: number;
  /** ISO-8601 time the run finished. */
  finishedAt?: string;
  /** VLAs on the base, SFT and SFT+RL backbones, when the pipeline built them. */
  vla?: VlaSummary;
  /** Lines the pipeline wants shown under "Notes", e.g. "run on the mock core: numbers are not meaningful". */
  notes?: string[];
}

/** A summary that does not match the type, listing every wrong field. */
export class PipelineSummaryError extends Error {
  constructor(readonly problems: string[]) {
    super(`pipeline summary is not valid (${problems.join("; ")}); regenerate it with the pipeline that matches this report version`);
    this.name = "PipelineSummaryError";
  }
}

type Check = (v: unknown, path: string, problems: string[]) => void;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "number" ? String(v) : typeof v;
}

const num: Check = (v, path, p) => {
  if (typeof v !== "number") p.push(`${path} should be a number, got ${describe(v)}`);
};
const count: Check = (v, path, p) => {
  if (!Number.isInteger(v) || (v as number) < 0) p.push(`${path} should be a whole number ≥ 0, got ${describe(v)}`);
};
const str: Check = (v, path, p) => {
  if (typeof v !== "string") p.push(`${path} should be a string, got ${describe(v)}`);
};

function shape(fields: Record<string, Check>, optional: readonly string[] = []): Check {
  return (v, path, p) => {
    if (!isObject(v)) {
      p.push(`${path} should be an object, got ${describe(v)}`);
      return;
    }
    for (const [k, check] of Object.entries(fields)) {
      // Runs on a copy (parsePipelineSummary), so normalising in place is safe: JSON.stringify writes NaN
      // (a diverged loss, say) as null, and writers commonly spell an absent optional part as null.
      if (v[k] === null && check === num) v[k] = Number.NaN;
      if (v[k] === null && optional.includes(k)) delete v[k];
      if (v[k] === undefined) {
        if (!optional.includes(k)) p.push(`${path}.${k} is missing`);
      } else {
        check(v[k], `${path}.${k}`, p);
      }
    }
  };
}

const list = (item: Check): Check => (v, path, p) => {
  if (!Array.isArray(v)) p.push(`${path} should be an array, got ${describe(v)}`);
  else v.forEach((x, i) => item(x, `${path}[${i}]`, p));
};

const loss = shape({ firstLoss: num, lastLoss: num, steps: count });
const scores = shape({ fastAccuracy: num, reward: num, format: num, fastAccuracySem: num, rewardSem: num }, ["fastAccuracySem", "rewardSem"]);
const vlaRate = shape({ suite: str, successes: count, trials: count, rate: num, ciLow: num, ciHigh: num });
const vla = shape({
  steps: count,
  trialsPerTask: count,
  firstInitialState: count,
  maxSteps: count,
  executeSteps: count,
  horizon: count,
  denoisingSteps: count,
  backbones: list(shape({ name: str, layer: count, firstLoss: num, lastLoss: num, heldoutLoss: num, heldoutActionMse: num, rates: list(vlaRate) })),
  reportDir: str,
});
const summaryShape = shape(
  {
    version: (v, path, p) => {
      if (v !== 1) p.push(`${path} is ${describe(v)}, but this report reads version 1`);
    },
    preset: str,
    stages: list(shape({ name: str, seconds: num })),
    sft: loss,
    base: loss,
    grpo: shape({ steps: count, firstRewardMean: num, lastRewardMean: num, groupSize: count, promptsPerStep: count }, ["groupSize", "promptsPerStep"]),
    heldout: shape({ prompts: count, before: scores, afterSft: scores, afterRl: scores }, ["afterSft"]),
    backbone: str,
    seed: num,
    finishedAt: str,
    vla,
    notes: list(str),
  },
  ["base", "grpo", "backbone", "seed", "finishedAt", "vla", "notes"],
);

/**
 * Checks a parsed summary.json against PipelineSummary and returns a checked copy in which null numbers
 * are NaN and null optional parts are absent. Throws PipelineSummaryError naming every wrong field.
 */
export function parsePipelineSummary(value: unknown): PipelineSummary {
  const copy = structuredClone(value);
  const problems: string[] = [];
  summaryShape(copy, "summary", problems);
  if (problems.length) throw new PipelineSummaryError(problems);
  return copy as PipelineSummary;
}
