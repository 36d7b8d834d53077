// `roboalign generate`: batched sampling from a checkpoint, from token ids.
import type { CommandModule } from "yargs";
import type { Device, DType } from "../../native/contract.js";
import { getNativeCore } from "../../native/core.js";
import { loadCheckpoint } from "../../model/checkpoint.js";
import { parseIdList } from "../parse.js";

interface GenerateArgs {
  model: string;
  "input-ids": string[];
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

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "Generate tokens from a Hugging Face checkpoint",
  builder: (y) =>
    y
      .option("model", { type: "string", demandOption: true, describe: "checkpoint folder (config.json + safetensors)" })
      .option("input-ids", { type: "string", array: true, demandOption: true, describe: "prompt token ids, e.g. 1,2,3; repeat for a batch" })
      .option("max-new-tokens", { type: "number", default: 32, describe: "tokens to generate per prompt" })
      .option("temperature", { type: "number", default: 0, describe: "0 = greedy" })
      .option("top-k", { type: "number", default: 0, describe: "keep the k most likely tokens (0 = off)" })
      .option("top-p", { type: "number", default: 1, describe: "nucleus sampling mass (1 = off)" })
      .option("seed", { type: "number", default: 0 })
      .option("stop-ids", { type: "string", describe: "comma-separated stop ids (default: the config's eos_token_id; \"none\" = never stop)" })
      .option("device", { type: "string", default: "cpu", describe: "cpu, cuda or cuda:N" })
      .option("dtype", { choices: ["float32", "bfloat16", "float16"], default: "float32" })
      .option("json", { type: "boolean", default: false, describe: "print {\"ids\": [...], \"logprobs\": [...]} (one line per prompt)" }),
  handler: async (a) => {
    const prompts = a["input-ids"].map((s) => parseIdList(s, "--input-ids"));
    const core = getNativeCore();
    const { handle, config } = await loadCheckpoint(core, a.model, { device: a.device as Device, dtype: a.dtype as DType });
    try {
      const stop = a["stop-ids"] === undefined ? config.eosTokenIds : a["stop-ids"] === "none" ? [] : parseIdList(a["stop-ids"], "--stop-ids");
      const offsets = [0];
      for (const p of prompts) offsets.push(offsets[offsets.length - 1] + p.length);
      const r = await core.generate(handle, {
        promptIds: Int32Array.from(prompts.flat()),
        promptOffsets: Int32Array.from(offsets),
        maxNewTokens: a["max-new-tokens"],
        temperature: a.temperature,
        topK: a["top-k"],
        topP: a["top-p"],
        stopIds: stop,
        seed: a.seed,
      });
      prompts.forEach((_, i) => {
        const ids = Array.from(r.ids.subarray(r.offsets[i], r.offsets[i + 1]));
        const logprobs = Array.from(r.logprobs.subarray(r.offsets[i], r.offsets[i + 1]));
        if (a.json) {
          process.stdout.write(`${JSON.stringify({ ids, logprobs })}\n`);
        } else {
          const mean = logprobs.length ? logprobs.reduce((s, x) => s + x, 0) / logprobs.length : 0;
          process.stdout.write(`[${i}] ${ids.join(" ")}  (${ids.length} tokens, ${r.finishReasons[i]}, mean log-prob ${mean.toFixed(3)})\n`);
        }
      });
      if (!a.json) {
        const tps = r.info.generatedTokens / Math.max(r.info.seconds, 1e-9);
        process.stderr.write(`${r.info.generatedTokens} tokens in ${r.info.seconds.toFixed(3)} s (${tps.toFixed(1)} tokens/s)\n`);
      }
    } finally {
      await core.dispose(handle);
    }
  },
};
