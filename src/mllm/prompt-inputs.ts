// Prompts (chat text or ready-made token ids) plus images → the inputs of a native `generate`:
// ids with expanded image pads, M-RoPE positions and rope deltas, pixel values and grids
// (ref: transformers v5.18.0 Qwen2_5_VLProcessor + Qwen2_5_VLModel.get_rope_index).
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { GenerateRequest } from "../native/contract.js";
import type { ParsedHfConfig } from "../model/hf-config.js";
import type { ChatMessage } from "../text/chat-template.js";
import { encodeConversation } from "../text/conversation.js";
import { ropeIndex } from "../text/rope-index.js";
import type { TextTokenizer } from "../text/tokenizer.js";
import { loadImageProcessorConfig } from "../vision/processor-config.js";
import { loadImageRgb } from "../vision/load-image.js";
import { preprocessImages } from "../vision/image-processor.js";
import { concatFloat32 } from "../util/arrays.js";

export interface PromptInput {
  /** User text; rendered with the checkpoint's chat template (generation prompt added). */
  prompt?: string;
  /** Or token ids that already hold the vision markers and expanded image pads. */
  inputIds?: number[];
  images?: string[];
  system?: string;
}

export class PromptError extends Error {
  override readonly name = "PromptError";
}

export type GenerateInputs = Pick<GenerateRequest, "promptIds" | "promptOffsets" | "positionIds" | "ropeDeltas" | "pixelValues" | "imageGridThw">;

export async function buildGenerateInputs(
  modelDir: string,
  config: ParsedHfConfig,
  tokenizer: TextTokenizer | null,
  inputs: PromptInput[],
): Promise<GenerateInputs> {
  const vision = config.vision;
  const processor = existsSync(join(modelDir, "preprocessor_config.json")) ? loadImageProcessorConfig(modelDir) : {};
  const ids: number[][] = [];
  // Per prompt (index i); absent for text models / prompts without images.
  const positions: (Int32Array | undefined)[] = [];
  const deltas: (number | undefined)[] = [];
  const pixels: (Float32Array | undefined)[] = [];
  const grids: number[] = [];
  for (const [i, input] of inputs.entries()) {
    const paths = input.images ?? [];
    if (paths.length && !vision) throw new PromptError(`${modelDir} is a text-only model: it cannot take images (prompt ${i})`);
    const batch = paths.length ? preprocessImages(await Promise.all(paths.map((p) => loadImageRgb(p))), processor) : null;
    let seq: number[];
    if (input.inputIds) {
      seq = input.inputIds;
      if (vision) {
        const pads = seq.filter((t) => t === vision.imageTokenId).length;
        const need = batch ? batch.numImageTokens.reduce((a, b) => a + b, 0) : 0;
        if (pads > 0 && !batch) throw new PromptError(`prompt ${i} holds ${pads} image-pad tokens (id ${vision.imageTokenId}) but no image was given`);
        if (pads !== need) {
          throw new PromptError(
            `prompt ${i} holds ${pads} image-pad tokens (id ${vision.imageTokenId}) but its ${paths.length} image(s) need ${need}: expand each <|image_pad|> to grid_h·grid_w/4 copies (${batch?.gridThw.map((g) => `${g[1]}×${g[2]} → ${(g[1] * g[2]) / 4}`).join(", ") || "no images"})`,
          );
        }
      }
    } else {
      if (!tokenizer) throw new PromptError(`${modelDir} has no tokenizer.json: pass --input-ids, or use a checkpoint with its tokenizer`);
      const messages: ChatMessage[] = [];
      if (input.system) messages.push({ role: "system", content: input.system });
      messages.push({ role: "user", content: [...paths.map((p) => ({ type: "image" as const, image: p })), { type: "text" as const, text: input.prompt ?? "" }] });
      const enc = await encodeConversation(tokenizer, messages, { imageGridThw: batch?.gridThw ?? [], addGenerationPrompt: true });
      seq = Array.from(enc.inputIds);
    }
    ids.push(seq);
    if (vision && config.visionTokens) {
      const r = ropeIndex(seq, batch?.gridThw ?? [], { imageTokenId: vision.imageTokenId, visionStartTokenId: config.visionTokens.visionStartTokenId, spatialMergeSize: vision.config.spatialMergeSize });
      positions[i] = r.positionIds;
      deltas[i] = r.ropeDelta;
    }
    if (batch) {
      pixels[i] = batch.pixelValues;
      for (const g of batch.gridThw) grids.push(...g);
    }
  }
  return assembleGenerateInputs(ids.map((seq, i) => ({ ids: seq, positions: positions[i], ropeDelta: deltas[i], pixelValues: pixels[i] })), Int32Array.from(grids));
}

/** One prompt's part of a generate request: ids, and for M-RoPE models its [3, T] positions and rope delta. */
export interface PromptRow {
  ids: ArrayLike<number>;
  positions?: Int32Array;
  ropeDelta?: number;
  pixelValues?: Float32Array;
}

/**
 * Concatenates prompts into the layout the native sampler reads: ids back to back with offsets,
 * positions axis-major over the concatenation ([3, total]), per-prompt rope deltas, and the
 * images of all prompts in order (`imageGridThw`: their grids, flattened).
 */
export function assembleGenerateInputs(rows: readonly PromptRow[], imageGridThw: Int32Array): GenerateInputs {
  const offsets = [0];
  for (const r of rows) offsets.push(offsets[offsets.length - 1] + r.ids.length);
  const total = offsets[offsets.length - 1];
  const promptIds = new Int32Array(total);
  rows.forEach((r, i) => promptIds.set(Array.from(r.ids), offsets[i]));
  const out: GenerateInputs = { promptIds, promptOffsets: Int32Array.from(offsets) };
  if (rows.some((r) => r.positions)) {
    const pos = new Int32Array(3 * total);
    rows.forEach((r, i) => {
      const T = r.ids.length;
      for (let a = 0; a < 3; a++) pos.set(r.positions!.subarray(a * T, (a + 1) * T), a * total + offsets[i]);
    });
    out.positionIds = pos;
    out.ropeDeltas = Int32Array.from(rows.map((r) => r.ropeDelta ?? 0));
  }
  const pixels = rows.map((r) => r.pixelValues).filter((p): p is Float32Array => p !== undefined && p.length > 0);
  if (pixels.length) {
    out.pixelValues = concatFloat32(pixels);
    out.imageGridThw = imageGridThw;
  }
  return out;
}
