// `roboalign model init`: a randomly initialised Hugging Face checkpoint of a named size.
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import type { DType } from "../../native/contract.js";
import { getNativeCore } from "../../native/core.js";
import { saveCheckpoint } from "../../model/checkpoint.js";
import { defaultSpecialIds, textConfigJson, vlConfigJson, type QwenSpecialIds } from "../../model/hf-config.js";
import { PRESETS, modelPreset } from "../../model/presets.js";

interface InitArgs {
  preset: string;
  out: string;
  tokenizer?: string;
  seed: number;
  dtype: string;
}

const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.json", "chat_template.jinja"];

/** Vocabulary size (padded to a multiple of 64, as Qwen pads its embeddings) and Qwen special ids of a tokenizer folder. */
function tokenizerFacts(dir: string): { vocabSize: number; ids: QwenSpecialIds } {
  const file = join(dir, "tokenizer.json");
  if (!existsSync(file)) throw new Error(`${dir} has no tokenizer.json (train one, or point --tokenizer at a Hugging Face checkpoint)`);
  const t = JSON.parse(readFileSync(file, "utf8")) as { model?: { vocab?: Record<string, number> }; added_tokens?: { id: number; content: string }[] };
  const ids = new Map<string, number>(Object.entries(t.model?.vocab ?? {}));
  for (const a of t.added_tokens ?? []) ids.set(a.content, a.id);
  const need = (token: string) => {
    const id = ids.get(token);
    if (id === undefined) throw new Error(`${file} lacks the Qwen special token ${token}`);
    return id;
  };
  const size = Math.max(...ids.values()) + 1;
  return {
    vocabSize: Math.ceil(size / 64) * 64,
    ids: {
      bos: need("<|endoftext|>"),
      eos: need("<|im_end|>"),
      visionStart: need("<|vision_start|>"),
      visionEnd: need("<|vision_end|>"),
      visionPad: need("<|vision_pad|>"),
      imagePad: need("<|image_pad|>"),
      videoPad: need("<|video_pad|>"),
    },
  };
}

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
