// One training sample (a conversation with images) → the tensors an SFT step takes: token ids,
// labels (assistant turns only), pixel values, image grids and M-RoPE positions; and a batch of
// such samples → one right-padded TrainBatch (ref: transformers v5.18.0 Qwen2_5_VLProcessor,
// Qwen2_5_VLModel.get_rope_index; Qwen2.5-VL finetune collator).
import type { TrainBatch } from "../../native/contract.js";
import { concatFloat32 } from "../../util/arrays.js";
import type { ChatMessage } from "../../text/chat-template.js";
import { encodeConversation, IGNORE_INDEX } from "../../text/conversation.js";
import { ropeIndex, type RopeIndexOptions } from "../../text/rope-index.js";
import type { TextTokenizer } from "../../text/tokenizer.js";
import { preprocessImages, type RgbImage } from "../../vision/image-processor.js";
import type { ImageProcessorOptions } from "../../vision/processor-config.js";

export interface TrainingSample {
  messages: ChatMessage[];
  /** Decoded images, in the order their parts appear in the messages. */
  images: RgbImage[];
}

export interface SampleTensors {
  inputIds: Int32Array;
  labels: Int32Array;
  /** [3, T]: rows t, h, w. */
  positionIds: Int32Array;
  ropeDelta: number;
  pixelValues: Float32Array;
  imageGridThw: [number, number, number][];
}

export interface TensorizeOptions {
  rope: RopeIndexOptions;
  image?: Partial<ImageProcessorOptions>;
}

export async function tensorizeSample(tokenizer: TextTokenizer, sample: TrainingSample, opts: TensorizeOptions): Promise<SampleTensors> {
  const images = sample.images.length ? preprocessImages(sample.images, opts.image) : null;
  const grids = images?.gridThw ?? [];
  const enc = await encodeConversation(tokenizer, sample.messages, { imageGridThw: grids, spatialMergeSize: opts.rope.spatialMergeSize });
  const rope = ropeIndex(enc.inputIds, grids, opts.rope);
  return { inputIds: enc.inputIds, labels: enc.labels, positionIds: rope.positionIds, ropeDelta: rope.ropeDelta, pixelValues: images?.pixelValues ?? new Float32Array(0), imageGridThw: grids };
}

/** Right-pads samples into one micro-batch; images of all rows are concatenated in row order. */
export function collate(samples: SampleTensors[], padId: number): TrainBatch {
  const B = samples.length;
  if (B === 0) throw new Error("cannot collate an empty micro-batch");
  const T = Math.max(...samples.map((s) => s.inputIds.length));
  const inputIds = new Int32Array(B * T).fill(padId);
  const labels = new Int32Array(B * T).fill(IGNORE_INDEX);
  const attentionMask = new Uint8Array(B * T);
  const positionIds = new Int32Array(3 * B * T);
  samples.forEach((s, b) => {
    const n = s.inputIds.length;
    inputIds.set(s.inputIds, b * T);
    labels.set(s.labels, b * T);
    attentionMask.fill(1, b * T, b * T + n);
    for (let a = 0; a < 3; a++) positionIds.set(s.positionIds.subarray(a * n, (a + 1) * n), a * B * T + b * T);
  });
  const pixelCount = samples.reduce((k, s) => k + s.pixelValues.length, 0);
  const batch: TrainBatch = { inputIds, labels, attentionMask, positionIds, batch: B, seqLen: T };
  if (pixelCount > 0) {
    batch.pixelValues = concatFloat32(samples.map((s) => s.pixelValues));
    batch.imageGridThw = Int32Array.from(samples.flatMap((s) => s.imageGridThw.flat()));
  }
  return batch;
}
