// RL prompts (chat messages with images) → token ids with the generation prompt, image patches
// and grids; and the batched inputs of a native `generate` for a list of them (each prompt may
// appear several times: the n samples of a group), with per-prompt M-RoPE positions and
// rope deltas (ref: transformers v5.18.0 Qwen2_5_VLProcessor + get_rope_index).
import { assembleGenerateInputs, type GenerateInputs, type PromptRow } from "../../mllm/prompt-inputs.js";
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

export type PromptInputs = GenerateInputs;

/** Generate inputs for `prompts[order[i]]`, i = 0.., in that order. */
export function generateInputs(ws: Workspace, prompts: EncodedPrompt[], order: number[]): PromptInputs {
  const rows: PromptRow[] = order.map((i) => {
    const p = prompts[i];
    if (!ws.rope) return { ids: p.ids };
    const { positions, ropeDelta } = sequencePositions(ws, p.ids, p.grids);
    return { ids: p.ids, positions, ropeDelta, pixelValues: p.pixelValues };
  });
  return assembleGenerateInputs(rows, Int32Array.from(order.flatMap((i) => prompts[i].grids.flat())));
}
