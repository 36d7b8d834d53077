// `roboalign pipeline`: the paper's recipe end to end at miniature scale. Expert data from the
// embedded world → FAST fitted to its actions → a tiny Qwen2.5-VL-shaped model → the **base**
// (general and embodied VQA only: the stand-in for a pretrained instruct model) → RoboAlign SFT
// on the full mixture (FAST action QA and reasoning added) → GRPO on the RL prompts → a VLA per
// backbone (base, SFT, SFT+RL) evaluated closed-loop → report.
// Held-out prompts (initial states never trained on) are scored with greedy decoding on the
// untrained model, after SFT and after RL. A stage whose result exists is not run again.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NativeCore } from "../native/contract.js";
import { writePipelineReport } from "../report/pipeline-report.js";
import type { HeldoutScores, PipelineSummary } from "../report/pipeline-summary.js";
import { createReward } from "../rl/reward/registry.js";
import type { RewardFunction, RewardScore } from "../rl/reward/context.js";
import { TokenByteTable } from "../rl/reward/token-bytes.js";
import { heldoutRewards, type HeldoutReward } from "../train/eval/heldout-rewards.js";
import { GRPO_RECIPES, type GrpoConfig } from "../train/grpo/config.js";
import { grpoData, rlPromptSetFromDirs, spreadPrompts } from "../train/grpo/data.js";
import { runGrpo, type GrpoResult } from "../train/grpo/trainer.js";
import { closeWorkspace, openWorkspace, PRESET_PREFIX, saveWorkspaceModel } from "../train/model-workspace.js";
import { SFT_RECIPES, type SftConfig } from "../train/sft/config.js";
import { sftData } from "../train/sft/data.js";
import { runSft, type SftResult } from "../train/sft/trainer.js";
import type { PipelineConfig } from "./config.js";
import { fitFastStage, recordData, trainTokenizerStage } from "./stages.js";
import { vlaStage } from "./vla-stage.js";

export interface PipelineOptions {
  progress: boolean;
  recipe: string;
  log?: (line: string) => void;
}

export interface PipelineResult {
  summary: PipelineSummary;
  reportPath: string;
}

function scores(h: HeldoutReward): HeldoutScores {
  return { fastAccuracy: h.accuracy, reward: h.reward, format: h.format, rewardSem: h.rewardSem };
}

/** Runs `fn` once: its JSON result is kept in `file` and read back on later runs. */
async function once<T>(file: string, fn: () => Promise<T>): Promise<T> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as T;
  const r = await fn();
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return r;
}

export async function runPipeline(core: NativeCore, c: PipelineConfig, opts: PipelineOptions): Promise<PipelineResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  mkdirSync(c.out, { recursive: true });
  writeFileSync(join(c.out, "pipeline-config.json"), `${JSON.stringify(c, null, 2)}\n`);
  const stages: { name: string; seconds: number }[] = [];
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    log(`— ${name}`);
    const r = await fn();
    stages.push({ name, seconds: (performance.now() - t0) / 1000 });
    return r;
  };

  const dirs = await timed("data", () => recordData(c, log));
  const fast = await timed("fast", () => fitFastStage(c, dirs, log));
  const tokenizer = await timed("tokenizer", () => trainTokenizerStage(c, dirs, fast.codec, log));

  // The untrained model: saved so the base stage starts from exactly these weights, and scored.
  const initDir = join(c.out, "init");
  const heldoutBefore = await timed("eval-untrained", () =>
    once(join(c.out, "init-heldout.json"), async () => {
      const ws = await openWorkspace(core, { model: `${PRESET_PREFIX}${c.preset}`, tokenizer, fast: fast.dir, device: "cpu", dtype: "float32", seed: c.seed });
      try {
        await saveWorkspaceModel(ws, initDir);
        const reward = createReward(GRPO_RECIPES.tiny.reward, { tokenBytes: TokenByteTable.fromTextTokenizer(ws.tokenizer), eosIds: ws.eosIds, actionVocab: ws.vocab }) as RewardFunction<number[], RewardScore>;
        const prompts = await spreadPrompts(await rlPromptSetFromDirs(dirs.heldout, ws.codec, c.actionHorizon), c.heldoutPrompts);
        return await heldoutRewards(ws, prompts.map((p) => ({ ...p, groundTruth: p.targetFastIds })), reward, c.maxResponseLength);
      } finally {
        await closeWorkspace(ws);
      }
    }),
  );

  const sftBase: SftConfig = {
    ...SFT_RECIPES.tiny,
    tokenizer: "",
    fast: "",
    mixture: "embedded",
    episodes: dirs.train,
    heldoutEpisodes: dirs.heldout,
    samplesPerStep: c.samplesPerStep,
    seed: c.seed,
    actionHorizon: c.actionHorizon,
    saveEvery: 0,
  };
  const base = await timed("base", () =>
    once<SftResult>(join(c.out, "base-result.json"), () =>
      runSft(core, { ...sftBase, model: initDir, kinds: ["general-vqa", "embodied-vqa"], heldoutEpisodes: [], out: join(c.out, "base"), maxSteps: c.baseSteps, lr: c.baseLr }, (ws) => sftData({ ...sftBase, kinds: ["general-vqa", "embodied-vqa"], heldoutEpisodes: [] }, ws), { resume: true, progress: opts.progress, stage: "base", log }),
    ),
  );
  const sftConfig: SftConfig = { ...sftBase, model: join(c.out, "base", "model"), out: join(c.out, "sft"), maxSteps: c.sftSteps, lr: c.sftLr };
  const sft = await timed("sft", () => once<SftResult>(join(c.out, "sft-result.json"), () => runSft(core, sftConfig, (ws) => sftData(sftConfig, ws), { resume: true, progress: opts.progress, log })));

  const grpoConfig: GrpoConfig = {
    ...GRPO_RECIPES.tiny,
    model: join(c.out, "sft", "model"),
    prompts: dirs.train,
    heldoutPrompts: dirs.heldout,
    out: join(c.out, "grpo"),
    maxRolloutSteps: c.grpoSteps,
    rolloutBatch: c.rolloutBatch,
    samplesPerPrompt: c.samplesPerPrompt,
    updateBatch: c.updateBatch,
    lr: c.grpoLr,
    maxResponseLength: c.maxResponseLength,
    heldoutCount: c.heldoutPrompts,
    actionHorizon: c.actionHorizon,
    seed: c.seed + 1,
    saveEvery: 0,
  };
  const grpo = await timed("grpo", () => once<GrpoResult>(join(c.out, "grpo-result.json"), () => runGrpo(core, grpoConfig, (ws) => grpoData(grpoConfig, ws.codec), { resume: true, progress: opts.progress, log })));
  if (!grpo.before || !grpo.after) throw new Error("GRPO finished without held-out evaluations: the held-out episodes gave no prompts");

  const vla =
    c.vlaSteps > 0
      ? await timed("vla", () =>
          vlaStage(core, c, dirs, [
            { name: "base", dir: join(c.out, "base", "model") },
            { name: "sft", dir: join(c.out, "sft", "model") },
            { name: "sft+rl", dir: join(c.out, "grpo", "model") },
          ], { progress: opts.progress, log }),
        )
      : undefined;

  const metricsFiles = ["base", "sft", "grpo"].map((s) => join(c.out, s, "metrics.jsonl"));
  const grpoRewards = readFileSync(metricsFiles[2], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { stage: string; rewardMean?: number }).filter((r) => r.stage === "grpo" && typeof r.rewardMean === "number");
  const summary: PipelineSummary = {
    version: 1,
    preset: `${opts.recipe} (${c.preset})`,
    stages,
    base: { firstLoss: base.firstLoss, lastLoss: base.lastLoss, steps: base.steps },
    sft: { firstLoss: sft.firstLoss, lastLoss: sft.lastLoss, steps: sft.steps },
    grpo: { steps: grpo.steps, firstRewardMean: grpoRewards[0]?.rewardMean ?? Number.NaN, lastRewardMean: grpoRewards[grpoRewards.length - 1]?.rewardMean ?? Number.NaN, groupSize: c.samplesPerPrompt, promptsPerStep: c.rolloutBatch },
    heldout: { prompts: grpo.after.prompts, before: scores(heldoutBefore), afterSft: scores(grpo.before), afterRl: scores(grpo.after) },
    backbone: `${PRESET_PREFIX}${c.preset}`,
    vla,
    seed: c.seed,
    finishedAt: new Date().toISOString(),
    notes: [
      `held-out prompts come from ${c.heldoutEpisodes} episode(s) per suite with initial states never used in training (${c.suites.join(", ")})`,
      `held-out FAST-token accuracy (teacher-forced) during SFT: ${sft.heldoutBefore ? sft.heldoutBefore.accuracy.toFixed(3) : "n/a"} at the start, ${sft.heldout ? sft.heldout.accuracy.toFixed(3) : "n/a"} at the end`,
    ],
  };
  writeFileSync(join(c.out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  const report = await writePipelineReport(c.out, summary, metricsFiles);
  for (const w of report.warnings) log(`report: ${w}`);
  return { summary, reportPath: report.reportPath };
}
