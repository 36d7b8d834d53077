// `roboalign model init`: a randomly initialised Hugging Face checkpoint of a named size.
import type { CommandModule } from "yargs";
import type { DType } from "../../native/contract.js";
import { getNativeCore } from "../../native/core.js";
import { saveCheckpoint } from "../../model/checkpoint.js";
import { textConfigJson } from "../../model/hf-config.js";
import { TEXT_PRESETS, textPreset } from "../../model/presets.js";

interface InitArgs {
  preset: string;
  out: string;
  seed: number;
  dtype: string;
}

const init: CommandModule<object, InitArgs> = {
  command: "init",
  describe: "Write a randomly initialised checkpoint of a named size",
  builder: (y) =>
    y
      .option("preset", { choices: Object.keys(TEXT_PRESETS), default: "tiny", describe: "model size" })
      .option("out", { type: "string", demandOption: true, describe: "output folder" })
      .option("seed", { type: "number", default: 0 })
      .option("dtype", { choices: ["float32", "bfloat16", "float16"], default: "float32", describe: "dtype of the saved weights" }),
  handler: async (a) => {
    const core = getNativeCore();
    const config = textPreset(a.preset);
    const handle = await core.initModel({ config, device: "cpu", dtype: "float32", seed: a.seed });
    try {
      await saveCheckpoint(core, handle, a.out, textConfigJson(config), { dtype: a.dtype as DType });
      const info = core.modelInfo(handle);
      process.stdout.write(`wrote ${a.out} (${a.preset}: ${(info.numParameters / 1e6).toFixed(2)} M parameters, ${a.dtype})\n`);
    } finally {
      await core.dispose(handle);
    }
  },
};

export const modelCommand: CommandModule = {
  command: "model <command>",
  describe: "Create and inspect model checkpoints",
  builder: (y) => y.command(init).demandCommand(1),
  handler: () => undefined,
};
