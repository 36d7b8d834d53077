// `roboalign pipeline`: the main job. With no arguments it runs the embedded default end to end.
import type { CommandModule } from "yargs";
import { getNativeCore } from "../../native/core.js";
import { PIPELINE_RECIPES, PIPELINE_SCHEMA, type PipelineConfig } from "../../pipeline/config.js";
import { runPipeline } from "../../pipeline/run.js";
import { yargsOptions } from "../../train/schema.js";
import { stageConfig } from "../stage-config.js";

export const pipelineCommand: CommandModule<object, Record<string, unknown>> = {
  command: "pipeline",
  describe: "Data → FAST → base → RoboAlign SFT → GRPO → report, on the embedded robot world",
  builder: (y) =>
    y
      .option("config", { type: "string", describe: "JSON or YAML file of settings (a \"recipe\" key picks the base recipe)" })
      .option("recipe", { choices: Object.keys(PIPELINE_RECIPES), describe: "base settings (default: default)" })
      .option("progress", { type: "boolean", default: true, describe: "show progress bars" })
      .options(yargsOptions(PIPELINE_SCHEMA)),
  handler: async (a) => {
    const recipe = (a.recipe as string | undefined) ?? "default";
    const config: PipelineConfig = stageConfig(PIPELINE_SCHEMA, PIPELINE_RECIPES, { ...a, recipe });
    const r = await runPipeline(getNativeCore(), config, { progress: a.progress as boolean, recipe });
    const h = r.summary.heldout;
    const f = (x: number) => x.toFixed(3);
    process.stdout.write(
      [
        `pipeline: report ${r.reportPath}`,
        `  SFT loss ${f(r.summary.sft.firstLoss)} → ${f(r.summary.sft.lastLoss)} (${r.summary.sft.steps} steps)`,
        `  held-out (${h.prompts} prompts) FAST prefix accuracy: untrained ${f(h.before.fastAccuracy)}, after SFT ${f(h.afterSft!.fastAccuracy)}, after RL ${f(h.afterRl.fastAccuracy)}`,
        `  held-out reward: untrained ${f(h.before.reward)}, after SFT ${f(h.afterSft!.reward)}, after RL ${f(h.afterRl.reward)}`,
        `  wall time: ${r.summary.stages.map((s) => `${s.name} ${s.seconds.toFixed(0)} s`).join(", ")}`,
      ].join("\n") + "\n",
    );
  },
};
