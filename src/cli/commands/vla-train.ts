// `roboalign vla train`: the flow-matching action expert on a frozen backbone (RoboAlign §4.3).
import type { CommandModule } from "yargs";
import { getNativeCore } from "../../native/core.js";
import { yargsOptions } from "../../train/schema.js";
import { VLA_TRAIN_RECIPES, VLA_TRAIN_SCHEMA, type VlaTrainConfig } from "../../vla/config.js";
import { runVlaTrain } from "../../vla/trainer.js";
import { stageConfig } from "../stage-config.js";

export const vlaTrainCommand: CommandModule<object, Record<string, unknown>> = {
  command: "train",
  describe: "Train a GR00T-N1.5 flow-matching action head on a frozen backbone's layer-L states",
  builder: (y) =>
    y
      .option("config", { type: "string", describe: "JSON or YAML file of settings (a \"recipe\" key picks the base recipe)" })
      .option("recipe", { choices: Object.keys(VLA_TRAIN_RECIPES), describe: "base settings (default tiny)" })
      .option("resume", { type: "boolean", default: false, describe: "continue from the newest checkpoint in --out" })
      .option("progress", { type: "boolean", default: true, describe: "show progress bars" })
      .options(yargsOptions(VLA_TRAIN_SCHEMA)),
  handler: async (a) => {
    const config: VlaTrainConfig = stageConfig(VLA_TRAIN_SCHEMA, VLA_TRAIN_RECIPES, a);
    const r = await runVlaTrain(getNativeCore(), config, { resume: a.resume as boolean, progress: a.progress as boolean });
    if (r.stoppedBy) {
      process.exitCode = r.stoppedBy === "SIGINT" ? 130 : 143;
      return;
    }
    const b = r.heldoutBefore;
    const after = r.heldoutAfter;
    const held = after ? `, held-out loss ${b ? `${b.loss.toFixed(3)} → ` : ""}${after.loss.toFixed(3)}, held-out action MSE ${b ? `${b.actionMse.toFixed(3)} → ` : ""}${after.actionMse.toFixed(3)}` : "";
    process.stdout.write(
      `vla train: ${r.steps} steps on ${r.frames} frames (layer ${r.layer}) in ${r.seconds.toFixed(1)} s (features ${r.featureSeconds.toFixed(1)} s), loss ${r.firstLoss.toFixed(3)} → ${r.lastLoss.toFixed(3)}${held}\n` +
        `policy in ${r.policyDir}: evaluate with \`roboalign vla eval --policy ${r.policyDir}\`, serve with \`roboalign serve --policy ${r.policyDir}\`\n`,
    );
  },
};
