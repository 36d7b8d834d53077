// Rollout (formula (1)): n samples per prompt from the current policy with the native batched
// KV-cache sampler, stopping at EOS (kept: it is inside the response mask) or at the length
// limit, the image-pad token banned. Prompts are generated in chunks so memory stays bounded.
import type { Workspace } from "../model-workspace.js";
import { generateInputs, type EncodedPrompt } from "./prompt-tensors.js";

export interface RolloutOptions {
  samplesPerPrompt: number;
  temperature: number;
  topP: number;
  maxNewTokens: number;
  seed: number;
  /** Sequences per native generate call. */
  chunk?: number;
}

export interface RolloutResult {
  /** Response i·n + j is sample j of prompt i. */
  responses: Int32Array[];
  truncated: boolean[];
  generatedTokens: number;
  seconds: number;
}

export function bannedIds(ws: Workspace): number[] {
  return ws.rope ? [ws.rope.imageTokenId] : [];
}

export async function rollout(ws: Workspace, prompts: EncodedPrompt[], o: RolloutOptions): Promise<RolloutResult> {
  const order: number[] = [];
  for (let i = 0; i < prompts.length; i++) for (let j = 0; j < o.samplesPerPrompt; j++) order.push(i);
  const chunk = o.chunk ?? 64;
  const responses: Int32Array[] = [];
  const truncated: boolean[] = [];
  let generatedTokens = 0;
  let seconds = 0;
  for (let s = 0; s < order.length; s += chunk) {
    const part = order.slice(s, s + chunk);
    const r = await ws.core.generate(ws.handle, {
      ...generateInputs(ws, prompts, part),
      maxNewTokens: o.maxNewTokens,
      temperature: o.temperature,
      topP: o.topP,
      stopIds: ws.eosIds,
      bannedIds: bannedIds(ws),
      seed: (o.seed + s) >>> 0,
    });
    for (let i = 0; i < part.length; i++) {
      responses.push(r.ids.slice(r.offsets[i], r.offsets[i + 1]));
      truncated.push(r.finishReasons[i] === "length");
    }
    generatedTokens += r.info.generatedTokens;
    seconds += r.info.seconds;
  }
  return { responses, truncated, generatedTokens, seconds };
}
