// `roboalign grpo`: Stage 2 reinforcement learning with GRPO as EasyR1 computes it (RoboAlign §4.2).
import type { CommandModule } from "yargs";
import { getNativeCore } from "../../native/core.js";
import { GRPO_RECIPES, GRPO_SCHEMA, type GrpoConfig } from "../../train/grpo/config.js";
import { grpoData } from "../../train/grpo/data.js";
import { runGrpo } from "../../train/grpo/trainer.js";
import { yargsOptions } from "../../train/schema.js";
import { stageConfig } from "../stage-config.js";

export const grpoCommand: CommandModule<object, Record<string, unknown>> = {
  command: "grpo",
  describe: "Stage 2: GRPO on FAST-token prompts with the RoboAlign reward",
  builder: (y) =>
    y
      .option("config", { type: "string", describe: "JSON or YAML file of settings (a \"recipe\" key picks the base recipe)" })
      .option("recipe", { choices: Object.keys(GRPO_RECIPES), describe: "base settings (default tiny)" })
      .option("resume", { type: "boolean", default: false, describe: "continue from the newest checkpoint in --out" })
      .option("progress", { type: "boolean", default: true, describe: "show a progress bar" })
      .options(yargsOptions(GRPO_SCHEMA)),
  handler: async (a) => {
    const config: GrpoConfig = stageConfig(GRPO_SCHEMA, GRPO_RECIPES, a);
    const core = getNativeCore();
    const r = await runGrpo(core, config, (ws) => grpoData(config, ws.codec), { resume: a.resume as boolean, progress: a.progress as boolean });
    if (r.stoppedBy) {
      process.exitCode = r.stoppedBy === "SIGINT" ? 130 : 143;
      return;
    }
    const fmt = (h: typeof r.before) => (h ? `${h.reward.toFixed(3)} (format ${h.format.toFixed(2)}, accuracy ${h.accuracy.toFixed(3)})` : "n/a");
    process.stdout.write(`grpo: ${r.steps} rollout steps in ${r.seconds.toFixed(1)} s; held-out reward ${fmt(r.before)} → ${fmt(r.after)}; model in ${r.modelDir}\n`);
  },
};
