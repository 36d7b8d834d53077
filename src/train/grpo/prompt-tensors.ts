// RL prompts (chat messages with images) → token ids with the generation prompt, image patches
// and grids; and the batched inputs of a native `generate` for a list of them (each prompt may
// appear several times: the n samples of a group), with per-prompt M-RoPE positions and
// rope deltas (ref: transformers v5.18.0 Qwen2_5_VLProcessor + get_rope_index).
import type { GenerateRequest } from "../../native/contract.js";
import type { ChatMessage } from "../../text/chat-template.js";
import { encodeConversation } from "../../text/conversation.js";
import { ropeIndex } from "../../text/rope-index.js";
import { preprocessImages, type RgbImage } from "../../vision/image-processor.js";
import type { Workspace } from "../model-workspace.js";

export interface PromptLike {
  messages: ChatMessage[];
  images: RgbImage[];
}

export interface EncodedPrompt {
  ids: Int32Array;
  pixelValues: Float32Array;
  grids: [number, number, number][];
}

export async function encodePrompt(ws: Workspace, p: PromptLike): Promise<EncodedPrompt> {
  if (p.images.length && !ws.rope) throw new Error("RL prompts have images but the policy is text-only: use a Qwen2.5-VL checkpoint");
  const images = p.images.length ? preprocessImages(p.images, ws.imageOptions) : null;
  const grids = images?.gridThw ?? [];
  const enc = await encodeConversation(ws.tokenizer, p.messages, { imageGridThw: grids, spatialMergeSize: ws.rope?.spatialMergeSize, addGenerationPrompt: true });
  return { ids: enc.inputIds, pixelValues: images?.pixelValues ?? new Float32Array(0), grids };
}

/** [3, T] M-RoPE positions of a sequence with its images (plain running count for text models). */
export function sequencePositions(ws: Workspace, ids: ArrayLike<number>, grids: [number, number, number][]): { positions: Int32Array; ropeDelta: number } {
  if (!ws.rope) {
    const T = ids.length;
    const positions = new Int32Array(3 * T);
    for (let a = 0; a < 3; a++) for (let t = 0; t < T; t++) positions[a * T + t] = t;
    return { positions, ropeDelta: 0 };
  }
  const r = ropeIndex(ids, grids, ws.rope);
  return { positions: r.positionIds, ropeDelta: r.ropeDelta };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

export type PromptInputs = Pick<GenerateRequest, "promptIds" | "promptOffsets" | "positionIds" | "ropeDeltas" | "pixelValues" | "imageGridThw">;

/** Generate inputs for `prompts[order[i]]`, i = 0.., in that order. */
export function generateInputs(ws: Workspace, prompts: EncodedPrompt[], order: number[]): PromptInputs {
  const offsets = [0];
  for (const i of order) offsets.push(offsets[offsets.length - 1] + prompts[i].ids.length);
  const total = offsets[offsets.length - 1];
  const ids = new Int32Array(total);
  order.forEach((i, r) => ids.set(prompts[i].ids, offsets[r]));
  const out: PromptInputs = { promptIds: ids, promptOffsets: Int32Array.from(offsets) };
  if (ws.rope) {
    const pos = new Int32Array(3 * total);
    const deltas = new Int32Array(order.length);
    order.forEach((i, r) => {
      const p = prompts[i];
      const { positions, ropeDelta } = sequencePositions(ws, p.ids, p.grids);
      const T = p.ids.length;
      for (let a = 0; a < 3; a++) pos.set(positions.subarray(a * T, (a + 1) * T), a * total + offsets[r]);
      deltas[r] = ropeDelta;
    });
    out.positionIds = pos;
    out.ropeDeltas = deltas;
    const pix = order.map((i) => prompts[i].pixelValues).filter((p) => p.length > 0);
    if (pix.length) {
      out.pixelValues = concat(pix);
      out.imageGridThw = Int32Array.from(order.flatMap((i) => prompts[i].grids.flat()));
    }
  }
  return out;
}
