// `roboalign generate`: batched sampling from a checkpoint, from chat text (with images) or from
// token ids.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import type { Device, DType } from "../../native/contract.js";
import { getNativeCore } from "../../native/core.js";
import { loadCheckpoint } from "../../model/checkpoint.js";
import { buildGenerateInputs, type PromptInput } from "../../mllm/prompt-inputs.js";
import { TextTokenizer } from "../../text/tokenizer.js";
import { parseIdList } from "../parse.js";

interface GenerateArgs {
  model: string;
  prompt?: string;
  system?: string;
  image?: string[];
  prompts?: string;
  "input-ids"?: string[];
  "max-new-tokens": number;
  temperature: number;
  "top-k": number;
  "top-p": number;
  seed: number;
  "stop-ids"?: string;
  device: string;
  dtype: string;
  json: boolean;
}

/** One JSON object per line: {"prompt": "...", "images": ["a.png"], "system": "..."} or {"input_ids": [...], "images": [...]}. */
function readPromptFile(file: string): PromptInput[] {
  if (!existsSync(file)) throw new Error(`--prompts file ${file} not found`);
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line.length > 0)
    .map(([line, n]) => {
      let o: { prompt?: unknown; input_ids?: unknown; images?: unknown; system?: unknown };
      try {
        o = JSON.parse(line);
      } catch (e) {
        throw new Error(`${file}:${n}: not valid JSON (${(e as Error).message})`);
      }
      if (typeof o.prompt !== "string" && !Array.isArray(o.input_ids)) throw new Error(`${file}:${n}: needs "prompt" (text) or "input_ids" (a list of ids)`);
      if (o.images !== undefined && !(Array.isArray(o.images) && o.images.every((x) => typeof x === "string"))) {
        throw new Error(`${file}:${n}: "images" must be a list of image paths`);
      }
      return {
        prompt: typeof o.prompt === "string" ? o.prompt : undefined,
        inputIds: Array.isArray(o.input_ids) ? (o.input_ids as number[]) : undefined,
        images: o.images as string[] | undefined,
        system: typeof o.system === "string" ? o.system : undefined,
      };
    });
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "Generate from a Hugging Face checkpoint: chat text with images, a JSONL batch, or token ids",
  builder: (y) =>
    y
      .option("model", { type: "string", demandOption: true, describe: "checkpoint folder (config.json + safetensors [+ tokenizer])" })
      .option("prompt", { type: "string", describe: "user text, rendered with the checkpoint's chat template" })
      .option("system", { type: "string", describe: "system prompt for --prompt" })
      .option("image", { type: "string", array: true, describe: "image file(s) for --prompt or --input-ids, in order" })
      .option("prompts", { type: "string", describe: "JSONL batch: {\"prompt\", \"images\", \"system\"} or {\"input_ids\", \"images\"} per line" })
      .option("input-ids", { type: "string", array: true, describe: "prompt token ids, e.g. 1,2,3 (with vision markers and expanded image pads when --image is given); repeat for a batch" })
      .option("max-new-tokens", { type: "number", default: 32, describe: "tokens to generate per prompt" })
      .option("temperature", { type: "number", default: 0, describe: "0 = greedy" })
      .option("top-k", { type: "number", default: 0, describe: "keep the k most likely tokens (0 = off)" })
      .option("top-p", { type: "number", default: 1, describe: "nucleus sampling mass (1 = off)" })
      .option("seed", { type: "number", default: 0 })
      .option("stop-ids", { type: "string", describe: "comma-separated stop ids (default: the config's eos_token_id; \"none\" = never stop)" })
      .option("device", { type: "string", default: "cpu", describe: "cpu, cuda or cuda:N" })
      .option("dtype", { choices: ["float32", "bfloat16", "float16"], default: "float32" })
      .option("json", { type: "boolean", default: false, describe: "print {\"ids\": [...], \"logprobs\": [...]} (plus \"text\" with a tokenizer), one line per prompt" })
      .check((a) => {
        const sources = [a.prompt !== undefined, a.prompts !== undefined, a["input-ids"] !== undefined].filter(Boolean).length;
        if (sources !== 1) throw new Error("give exactly one of --prompt, --prompts or --input-ids");
        if (a.image && a.prompts) throw new Error("--image goes with --prompt or --input-ids; in --prompts files list images per line");
        if (a.image && (a["input-ids"]?.length ?? 0) > 1) throw new Error("--image takes a single --input-ids prompt; use --prompts for batches with images");
        return true;
      }),
  handler: async (a) => {
    const inputs: PromptInput[] = a.prompts
      ? readPromptFile(a.prompts)
      : a.prompt !== undefined
        ? [{ prompt: a.prompt, system: a.system, images: a.image }]
        : a["input-ids"]!.map((s) => ({ inputIds: parseIdList(s, "--input-ids"), images: a.image }));
    const tokenizer = existsSync(join(a.model, "tokenizer.json")) ? TextTokenizer.fromDir(a.model) : null;
    const core = getNativeCore();
    const { handle, config } = await loadCheckpoint(core, a.model, { device: a.device as Device, dtype: a.dtype as DType });
    try {
      const prepared = await buildGenerateInputs(a.model, config, tokenizer, inputs);
      const stop = a["stop-ids"] === undefined ? config.eosTokenIds : a["stop-ids"] === "none" ? [] : parseIdList(a["stop-ids"], "--stop-ids");
      const r = await core.generate(handle, {
        ...prepared,
        maxNewTokens: a["max-new-tokens"],
        temperature: a.temperature,
        topK: a["top-k"],
        topP: a["top-p"],
        stopIds: stop,
        seed: a.seed,
      });
      for (let i = 0; i < inputs.length; i++) {
        const ids = Array.from(r.ids.subarray(r.offsets[i], r.offsets[i + 1]));
        const logprobs = Array.from(r.logprobs.subarray(r.offsets[i], r.offsets[i + 1]));
        const text = tokenizer ? await tokenizer.decode(ids, { skipSpecialTokens: true }) : undefined;
        if (a.json) {
          process.stdout.write(`${JSON.stringify(text === undefined ? { ids, logprobs } : { ids, logprobs, text })}\n`);
        } else {
          const mean = logprobs.length ? logprobs.reduce((s, x) => s + x, 0) / logprobs.length : 0;
          process.stdout.write(`[${i}] ${text ?? ids.join(" ")}\n    (${ids.length} tokens, ${r.finishReasons[i]}, mean log-prob ${mean.toFixed(3)})\n`);
        }
      }
      if (!a.json) {
        const tps = r.info.generatedTokens / Math.max(r.info.seconds, 1e-9);
        process.stderr.write(`${r.info.generatedTokens} tokens in ${r.info.seconds.toFixed(3)} s (${tps.toFixed(1)} tokens/s)\n`);
      }
    } finally {
      await core.dispose(handle);
    }
  },
};
