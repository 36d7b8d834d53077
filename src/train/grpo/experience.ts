// A rollout batch turned into what the update needs (ref: EasyR1 b44b311 ray_trainer.fit →
// compute_log_probs / compute_ref_log_probs → update_policy): each response with its prompt as
// one row (prompt + response ids, M-RoPE positions over the whole row, the prompt's images),
// the response mask on the response tokens (EOS included, formula (2)), the per-token
// advantage, and the old and reference log-probs, both computed for the whole rollout batch
// before the first optimizer step (so later mini-batches are off-policy, as in EasyR1).
import { packByTokenBudget } from "../../data/mixture/packing.js";
import { concatFloat32 } from "../../util/arrays.js";
import type { ModelHandle, PolicyBatch } from "../../native/contract.js";
import type { Workspace } from "../model-workspace.js";
import { sequencePositions, type EncodedPrompt } from "./prompt-tensors.js";

export interface ResponseRow {
  prompt: EncodedPrompt;
  response: Int32Array;
  /** Â of the response (formula (6)); every response token carries it. */
  advantage: number;
}

/** Packs rows into micro-batches under a token budget, keeping row order (mini-batches are consecutive rows). */
export function packRows(rows: ResponseRow[], tokenBudget: number): number[][] {
  const lengths = rows.map((r) => r.prompt.ids.length + r.response.length);
  const packed = packByTokenBudget(lengths, tokenBudget);
  if (packed.skipped.length) {
    const longest = Math.max(...packed.skipped.map((s) => s.length));
    throw new Error(`a prompt + response of ${longest} tokens exceeds microBatchTokens=${tokenBudget}: raise microBatchTokens or lower maxResponseLength`);
  }
  return packed.batches;
}

/** One right-padded micro-batch of rows; old/ref log-probs are filled in by `attachLogprobs`. */
export function collateRows(ws: Workspace, rows: ResponseRow[]): PolicyBatch {
  const B = rows.length;
  const T = Math.max(...rows.map((r) => r.prompt.ids.length + r.response.length));
  const inputIds = new Int32Array(B * T).fill(ws.padId);
  const attentionMask = new Uint8Array(B * T);
  const responseMask = new Uint8Array(B * T);
  const advantages = new Float32Array(B * T);
  const positionIds = new Int32Array(3 * B * T);
  const pixels: Float32Array[] = [];
  const grids: number[] = [];
  rows.forEach((r, b) => {
    const P = r.prompt.ids.length;
    const n = P + r.response.length;
    const ids = new Int32Array(n);
    ids.set(r.prompt.ids, 0);
    ids.set(r.response, P);
    inputIds.set(ids, b * T);
    attentionMask.fill(1, b * T, b * T + n);
    responseMask.fill(1, b * T + P, b * T + n);
    advantages.fill(r.advantage, b * T + P, b * T + n);
    const { positions } = sequencePositions(ws, ids, r.prompt.grids);
    for (let a = 0; a < 3; a++) positionIds.set(positions.subarray(a * n, (a + 1) * n), a * B * T + b * T);
    if (r.prompt.pixelValues.length) pixels.push(r.prompt.pixelValues);
    for (const g of r.prompt.grids) grids.push(...g);
  });
  const batch: PolicyBatch = {
    inputIds,
    batch: B,
    seqLen: T,
    attentionMask,
    positionIds,
    responseMask,
    advantages,
    oldLogprobs: new Float32Array(B * T),
  };
  if (pixels.length) {
    batch.pixelValues = concatFloat32(pixels);
    batch.imageGridThw = Int32Array.from(grids);
  }
  return batch;
}

export interface LogprobStats {
  /** Mean over response tokens of −log π_old (the rollout policy's entropy estimate). */
  entropy: number;
  tokens: number;
}

/** Fills oldLogprobs (policy) and refLogprobs (frozen reference, when given) of each micro-batch. */
export async function attachLogprobs(ws: Workspace, ref: ModelHandle | null, batches: PolicyBatch[], temperature: number): Promise<LogprobStats> {
  let entropySum = 0;
  let tokens = 0;
  for (const b of batches) {
    const old = await ws.core.logprobs(ws.handle, b, { temperature, entropy: true });
    b.oldLogprobs = old.logprobs;
    if (ref !== null) b.refLogprobs = (await ws.core.logprobs(ref, b, { temperature })).logprobs;
    for (let i = 0; i < b.responseMask.length; i++) {
      if (!b.responseMask[i]) continue;
      entropySum += old.entropy ? old.entropy[i] : -old.logprobs[i];
      tokens++;
    }
  }
  return { entropy: tokens ? entropySum / tokens : 0, tokens };
}
