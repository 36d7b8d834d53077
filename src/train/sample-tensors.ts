// Samples → training micro-batches for one optimizer step: tensorize (chat template, labels on
// assistant turns, images, M-RoPE positions), sort by length so rows of similar length share a
// micro-batch (deterministic, so a resumed run packs identically), pack to the token budget and
// collate. Samples longer than the budget are counted and skipped.
import { collate, tensorizeSample, type SampleTensors, type TrainingSample } from "../data/mixture/tensorize.js";
import { packByTokenBudget } from "../data/mixture/packing.js";
import type { TrainBatch } from "../native/contract.js";
import type { Workspace } from "./model-workspace.js";

/** Rope options of text-only models: no image tokens, so positions are the plain running count. */
const NO_VISION = { imageTokenId: -1, visionStartTokenId: -1, spatialMergeSize: 2 };

export async function tensorizeForWorkspace(ws: Workspace, sample: TrainingSample): Promise<SampleTensors> {
  if (sample.images.length && !ws.rope) throw new Error("a sample has images but the model is text-only: drop image sources from the mixture or use a Qwen2.5-VL checkpoint");
  return tensorizeSample(ws.tokenizer, sample, { rope: ws.rope ?? NO_VISION, image: ws.imageOptions });
}

export interface PackedStep {
  microBatches: TrainBatch[];
  samples: number;
  /** Real (unpadded) tokens. */
  tokens: number;
  images: number;
  skippedTooLong: number;
}

export function packStep(tensors: SampleTensors[], tokenBudget: number, padId: number): PackedStep {
  const order = tensors.map((t, i) => ({ i, n: t.inputIds.length })).sort((a, b) => a.n - b.n || a.i - b.i);
  const sorted = order.map((o) => tensors[o.i]);
  const packed = packByTokenBudget(sorted.map((t) => t.inputIds.length), tokenBudget);
  const microBatches = packed.batches.map((rows) => collate(rows.map((r) => sorted[r]), padId));
  let tokens = 0;
  let images = 0;
  for (const rows of packed.batches) {
    for (const r of rows) {
      tokens += sorted[r].inputIds.length;
      images += sorted[r].imageGridThw.length;
    }
  }
  return { microBatches, samples: tensors.length - packed.skipped.length, tokens, images, skippedTooLong: packed.skipped.length };
}
