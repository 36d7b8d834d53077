// `roboalign sft`: Stage 1 supervised fine-tuning on a mixture (RoboAlign §4.1).
import type { CommandModule } from "yargs";
import { getNativeCore } from "../../native/core.js";
import { SFT_RECIPES, SFT_SCHEMA, type SftConfig } from "../../train/sft/config.js";
import { sftData } from "../../train/sft/data.js";
import { runSft } from "../../train/sft/trainer.js";
import { yargsOptions } from "../../train/schema.js";
import { stageConfig } from "../stage-config.js";

export const sftCommand: CommandModule<object, Record<string, unknown>> = {
  command: "sft",
  describe: "Stage 1: supervised fine-tuning with FAST action tokens on a data mixture",
  builder: (y) =>
    y
      .option("config", { type: "string", describe: "JSON or YAML file of settings (a \"recipe\" key picks the base recipe)" })
      .option("recipe", { choices: Object.keys(SFT_RECIPES), describe: "base settings (default tiny)" })
      .option("resume", { type: "boolean", default: false, describe: "continue from the newest checkpoint in --out" })
      .option("progress", { type: "boolean", default: true, describe: "show a progress bar" })
      .options(yargsOptions(SFT_SCHEMA)),
  handler: async (a) => {
    const config: SftConfig = stageConfig(SFT_SCHEMA, SFT_RECIPES, a);
    const core = getNativeCore();
    const r = await runSft(core, config, (ws) => sftData(config, ws), { resume: a.resume as boolean, progress: a.progress as boolean });
    if (r.stoppedBy) {
      process.exitCode = r.stoppedBy === "SIGINT" ? 130 : 143;
      return;
    }
    const acc = r.heldout ? `, held-out FAST-token accuracy ${r.heldoutBefore ? `${r.heldoutBefore.accuracy.toFixed(3)} → ` : ""}${r.heldout.accuracy.toFixed(3)}` : "";
    process.stdout.write(`sft: ${r.steps} steps in ${r.seconds.toFixed(1)} s, loss ${r.firstLoss.toFixed(3)} → ${r.lastLoss.toFixed(3)}${acc}; model in ${r.modelDir}\n`);
  },
};
