// What a model needs to know about its tokenizer folder: the embedding rows (vocabulary padded
// to a multiple of 64, as Qwen pads its embeddings) and the Qwen special-token ids.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { QwenSpecialIds } from "./hf-config.js";

/** Vocabulary size (padded to a multiple of 64, as Qwen pads its embeddings) and Qwen special ids of a tokenizer folder. */
export function tokenizerFacts(dir: string): { vocabSize: number; ids: QwenSpecialIds } {
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
