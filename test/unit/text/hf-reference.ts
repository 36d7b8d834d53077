// Runs hf_text_reference.py (transformers' AutoTokenizer) on a saved tokenizer folder.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChatMessage } from "../../../src/text/index.js";
import { python } from "../../helpers/paths.js";

export interface HfRequest {
  dir: string;
  encode?: string[];
  chats?: Array<{ messages: ChatMessage[]; add_generation_prompt?: boolean; add_vision_id?: boolean }>;
  expand?: Array<{ messages: ChatMessage[]; counts: number[]; add_generation_prompt?: boolean }>;
  sft?: Array<{ messages: Array<{ role: string; content: string }>; counts?: number[] }>;
  decode?: Array<{ ids: number[]; skip: boolean }>;
}

export interface HfResult {
  class: string;
  len: number;
  encode: number[][];
  chats: Array<{ text: string; ids: number[] }>;
  expand: number[][];
  sft: Array<{ input_ids: number[]; labels: number[] }>;
  decode: string[];
}

const script = join(dirname(fileURLToPath(import.meta.url)), "hf_text_reference.py");

export function hfReference(request: HfRequest): HfResult {
  const r = spawnSync(python, [script], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`hf_text_reference.py failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as HfResult;
}
