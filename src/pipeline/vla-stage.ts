// The pipeline's VLA stage: the paper's central experiment in miniature (RoboAlign §4.3, Tables 2–3).
// For each backbone (base, SFT, SFT+RL) a newly initialised flow-matching head is trained on the
// frozen backbone's states over the same expert episodes, then evaluated closed-loop on initial
// states that recorded no training data. Each backbone's training and evaluation results are kept,
// so a re-run continues where it stopped.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { EvalRun } from "../eval/closed-loop/eval-run.js";
import { evalRunJson } from "../eval/closed-loop/eval-run.js";
import { evaluatePolicy } from "../eval/closed-loop/evaluate.js";
import type { Rate } from "../eval/closed-loop/metrics.js";
import { parsePolicyArg } from "../eval/closed-loop/policy-factory.js";
import { writeReport } from "../eval/closed-loop/report-writer.js";
import type { EvalSuite } from "../eval/closed-loop/suites.js";
import { defaultWorkers } from "../eval/closed-loop/worker-pool.js";
import type { NativeCore } from "../native/contract.js";
import type { VlaBackboneSummary, VlaRate, VlaSummary } from "../report/pipeline-summary.js";
import { VLA_TRAIN_RECIPES, type VlaTrainConfig } from "../vla/config.js";
import { runVlaTrain, type VlaTrainResult } from "../vla/trainer.js";
import type { PipelineConfig } from "./config.js";

export interface VlaBackbone {
  name: string;
  dir: string;
}

/** Evaluation starts at this initial state: data recording uses states 0.. and the held-out split 45..49. */
export const VLA_FIRST_INITIAL_STATE = 20;

function rate(suite: string, r: Rate): VlaRate {
  return { suite, successes: r.successes, trials: r.trials, rate: r.rate, ciLow: r.ci.low, ciHigh: r.ci.high };
}

export async function vlaStage(
  core: NativeCore,
  c: PipelineConfig,
  data: { train: string[]; heldout: string[] },
  backbones: readonly VlaBackbone[],
  opts: { progress: boolean; log: (line: string) => void },
): Promise<VlaSummary> {
  const root = join(c.out, "vla");
  const runs: EvalRun[] = [];
  const out: VlaBackboneSummary[] = [];
  const base = VLA_TRAIN_RECIPES.tiny;
  for (const b of backbones) {
    const dir = join(root, b.name.replace(/[^a-z0-9]+/gi, "-"));
    const config: VlaTrainConfig = { ...base, backbone: b.dir, data: data.train, heldoutData: data.heldout, out: dir, steps: c.vlaSteps, seed: c.seed, saveEvery: 0, evalEvery: 0 };
    const trainFile = join(dir, "train-result.json");
    let train: VlaTrainResult;
    if (existsSync(trainFile)) train = JSON.parse(readFileSync(trainFile, "utf8")) as VlaTrainResult;
    else {
      opts.log(`vla: training the action head on the ${b.name} backbone`);
      train = await runVlaTrain(core, config, { resume: true, progress: opts.progress, log: opts.log, stage: `vla-${b.name}` });
      if (train.stoppedBy) throw new Error(`VLA training stopped by ${train.stoppedBy}; run the pipeline again to continue`);
      writeFileSync(trainFile, `${JSON.stringify(train, null, 2)}\n`);
    }
    const evalFile = join(dir, "eval-results.json");
    let run: EvalRun;
    if (existsSync(evalFile)) run = JSON.parse(readFileSync(evalFile, "utf8")) as EvalRun;
    else {
      opts.log(`vla: evaluating the ${b.name} VLA closed-loop (${c.suites.join(", ")}; ${c.vlaTrials} initial state(s) per task)`);
      const evaluation = await evaluatePolicy({
        policy: await parsePolicyArg(train.policyDir),
        suites: c.suites as EvalSuite[],
        trials: c.vlaTrials,
        firstTrial: VLA_FIRST_INITIAL_STATE,
        workers: defaultWorkers(),
        label: b.name,
        runner: { imageSize: c.imageSize, protocol: { maxSteps: c.vlaMaxSteps } },
        media: { outDir: dir, format: "gif", perOutcome: 1 },
      });
      // Media live in each backbone's folder; the combined report in `vla/` links them from there.
      run = { ...evaluation.run, media: evaluation.run.media.map((m) => ({ ...m, file: `${basename(dir)}/${m.file}` })) };
      writeFileSync(evalFile, evalRunJson(run));
    }
    runs.push(run);
    const rates = run.summary.suites.map((s) => rate(s.suite, s));
    if (run.summary.average) rates.push(rate("average", run.summary.average));
    out.push({ name: b.name, layer: train.layer, firstLoss: train.firstLoss, lastLoss: train.lastLoss, heldoutLoss: train.heldoutAfter?.loss ?? Number.NaN, heldoutActionMse: train.heldoutAfter?.actionMse ?? Number.NaN, rates });
    opts.log(`vla: ${b.name}: ${rates.map((r) => `${r.suite} ${(100 * r.rate).toFixed(1)}%`).join(", ")}`);
  }
  await writeReport(root, runs);
  return {
    steps: c.vlaSteps,
    trialsPerTask: c.vlaTrials,
    firstInitialState: VLA_FIRST_INITIAL_STATE,
    maxSteps: c.vlaMaxSteps,
    executeSteps: Math.min(base.executeSteps, base.actionHorizon),
    horizon: base.actionHorizon,
    denoisingSteps: base.denoisingSteps,
    backbones: out,
    reportDir: "vla",
  };
}
