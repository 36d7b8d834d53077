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
  const positions: Int32Array[] = [];
  const deltas: number[] = [];
  const pixels: Float32Array[] = [];
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
      positions.push(r.positionIds);
      deltas.push(r.ropeDelta);
    }
    if (batch) {
      pixels.push(batch.pixelValues);
      for (const g of batch.gridThw) grids.push(...g);
    }
  }
  const offsets = [0];
  for (const s of ids) offsets.push(offsets[offsets.length - 1] + s.length);
  const total = offsets[offsets.length - 1];
  const out: GenerateInputs = { promptIds: Int32Array.from(ids.flat()), promptOffsets: Int32Array.from(offsets) };
  if (positions.length) {
    // [3, total]: axis-major over the concatenated prompts, as the native sampler reads it.
    const pos = new Int32Array(3 * total);
    positions.forEach((p, i) => {
      const T = ids[i].length;
      for (let a = 0; a < 3; a++) pos.set(p.subarray(a * T, (a + 1) * T), a * total + offsets[i]);
    });
    out.positionIds = pos;
    out.ropeDeltas = Int32Array.from(deltas);
  }
  if (pixels.length) {
    const n = pixels.reduce((s, p) => s + p.length, 0);
    const all = new Float32Array(n);
    let k = 0;
    for (const p of pixels) {
      all.set(p, k);
      k += p.length;
    }
    out.pixelValues = all;
    out.imageGridThw = Int32Array.from(grids);
  }
  return out;
}
