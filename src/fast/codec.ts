// FAST with its action normalization: raw actions → normalize → encode, and ids → decode →
// unnormalize (openpi's Normalize / ExtractFASTActions + Unnormalize order, reference/fast.md §8).

import type { ActionChunk } from "./chunk.js";
import type { ActionNormalizer } from "./normalization.js";
import type { DecodeResult, DecodeShape, FastProcessor } from "./processor.js";

export class FastCodec {
  constructor(
    readonly processor: FastProcessor,
    readonly normalizer: ActionNormalizer | null = null,
  ) {}

  /** Token ids of a chunk of raw actions. */
  encode(chunk: ActionChunk): Int32Array {
    return this.processor.encode(this.normalizer ? this.normalizer.normalize(chunk) : chunk);
  }

  /** Raw actions of an id list; a failed decode is the zero chunk (normalized space) mapped back, with its status. */
  decode(ids: ArrayLike<number>, shape: DecodeShape = {}): DecodeResult {
    const result = this.processor.decode(ids, shape);
    return this.normalizer ? { ...result, actions: this.normalizer.unnormalize(result.actions) } : result;
  }
}
