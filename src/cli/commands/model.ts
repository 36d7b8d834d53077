// `roboalign model init`: a randomly initialised Hugging Face checkpoint of a named size.
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import type { DType } from "../../native/contract.js";
import { getNativeCore } from "../../native/core.js";
import { saveCheckpoint } from "../../model/checkpoint.js";
import { defaultSpecialIds, textConfigJson, vlConfigJson } from "../../model/hf-config.js";
import { tokenizerFacts } from "../../model/tokenizer-facts.js";
import { PRESETS, modelPreset } from "../../model/presets.js";

interface InitArgs {
  preset: string;
  out: string;
  tokenizer?: string;
  seed: number;
  dtype: string;
}

const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.json", "chat_template.jinja"];

const init: CommandModule<object, InitArgs> = {
  command: "init",
  describe: "Write a randomly initialised checkpoint of a named size",
  builder: (y) =>
    y
      .option("preset", { choices: Object.keys(PRESETS), default: "tiny", describe: "model size (tiny = Qwen2.5-VL-shaped, tiny-text = text only)" })
      .option("out", { type: "string", demandOption: true, describe: "output folder" })
      .option("tokenizer", { type: "string", describe: "tokenizer folder: sets the vocabulary and special ids, and is copied into the checkpoint" })
      .option("seed", { type: "number", default: 0 })
      .option("dtype", { choices: ["float32", "bfloat16", "float16"], default: "float32", describe: "dtype of the saved weights" }),
  handler: async (a) => {
    const core = getNativeCore();
    const preset = modelPreset(a.preset);
    const facts = a.tokenizer ? tokenizerFacts(a.tokenizer) : null;
    const text = { ...preset.text, vocabSize: facts?.vocabSize ?? preset.text.vocabSize };
    const ids = facts?.ids ?? defaultSpecialIds(text.vocabSize);
    const vision = preset.vision ? { config: preset.vision, imageTokenId: ids.imagePad } : undefined;
    const configJson = preset.vision ? vlConfigJson(text, preset.vision, ids) : textConfigJson(text, { bos_token_id: ids.bos, eos_token_id: ids.eos });
    const handle = await core.initModel({ config: text, vision, device: "cpu", dtype: "float32", seed: a.seed });
    try {
      await saveCheckpoint(core, handle, a.out, configJson, { dtype: a.dtype as DType });
      if (a.tokenizer) {
        for (const f of TOKENIZER_FILES) if (existsSync(join(a.tokenizer, f))) copyFileSync(join(a.tokenizer, f), join(a.out, f));
      }
      const info = core.modelInfo(handle);
      process.stdout.write(`wrote ${a.out} (${a.preset}: ${(info.numParameters / 1e6).toFixed(2)} M parameters, vocabulary ${info.vocabSize}, ${a.dtype})\n`);
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
