// Tokenization statistics of a FAST tokenizer on a set of action chunks: tokens per chunk,
// compression ratio (coefficients per token) and round-trip reconstruction error per action
// dimension, in the units the chunks are given in (raw units when a normalizer is attached).

import { type ActionChunk, FastInputError } from "./chunk.js";
import type { FastCodec } from "./codec.js";

export interface TokenizationStats {
  chunks: number;
  tokensPerChunk: { mean: number; min: number; max: number; median: number };
  /** Mean H·D coefficients per chunk divided by mean tokens per chunk. */
  compressionRatio: number;
  /** Chunks whose ids did not decode back to a chunk (they count as zeros in the errors). */
  failedDecodes: number;
  reconstruction: {
    maxAbsError: number;
    meanAbsError: number;
    maxAbsErrorPerDim: number[];
    meanAbsErrorPerDim: number[];
  };
}

export function tokenizationStats(codec: FastCodec, chunks: readonly ActionChunk[]): TokenizationStats {
  if (chunks.length === 0) throw new FastInputError("no action chunks to compute statistics on");
  const counts: number[] = [];
  let coefficients = 0;
  let failed = 0;
  const dim = Math.max(...chunks.map((c) => c.dim));
  const maxPerDim = new Array<number>(dim).fill(0);
  const sumPerDim = new Array<number>(dim).fill(0);
  const nPerDim = new Array<number>(dim).fill(0);
  for (const chunk of chunks) {
    const ids = codec.encode(chunk);
    counts.push(ids.length);
    coefficients += chunk.horizon * chunk.dim;
    const back = codec.decode(ids, { horizon: chunk.horizon, dim: chunk.dim });
    if (back.status !== "ok") failed++;
    for (let i = 0; i < chunk.data.length; i++) {
      const d = i % chunk.dim;
      const e = Math.abs(back.actions.data[i] - chunk.data[i]);
      if (e > maxPerDim[d]) maxPerDim[d] = e;
      sumPerDim[d] += e;
      nPerDim[d]++;
    }
  }
  const sorted = [...counts].sort((a, b) => a - b);
  const n = counts.length;
  const mean = counts.reduce((a, b) => a + b, 0) / n;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const total = nPerDim.reduce((a, b) => a + b, 0);
  return {
    chunks: n,
    tokensPerChunk: { mean, min: sorted[0], max: sorted[n - 1], median },
    compressionRatio: coefficients / n / mean,
    failedDecodes: failed,
    reconstruction: {
      maxAbsError: Math.max(...maxPerDim),
      meanAbsError: sumPerDim.reduce((a, b) => a + b, 0) / total,
      maxAbsErrorPerDim: maxPerDim,
      meanAbsErrorPerDim: sumPerDim.map((s, d) => s / nPerDim[d]),
    },
  };
}
