// Fitting a FAST tokenizer to action data, as `UniversalActionProcessor.fit`
// (reference/fast.md T1–T3): DCT every chunk, find the quantized range [min, max], train a
// byte-level BPE on one string per chunk (code point = round(c · scale) − min) with the raw
// alphabet chr(0 … max − min), min_frequency 2 and max_token_length 10000.

import { BpeModel } from "./bpe.js";
import { BpeTrainer } from "./bpe-trainer.js";
import { type ActionChunk, assertChunk, FastInputError } from "./chunk.js";
import { dctForward } from "./dct.js";
import { FastProcessor } from "./processor.js";
import { roundHalfEven } from "./quantize.js";
import { ByteLevelBpeTokenizer } from "./tokenizer.js";

export interface FitOptions {
  /** Coefficient scale before rounding (default 10). */
  scale?: number;
  /** Target vocab size (default 1024). */
  vocabSize?: number;
  /** Defaults to the first chunk's H. */
  timeHorizon?: number;
  /** Defaults to the first chunk's D. */
  actionDim?: number;
}

export interface FitReport {
  minToken: number;
  maxToken: number;
  /** Characters in the trained alphabet (raw initial alphabet ∪ byte-level characters seen). */
  alphabetSize: number;
  numMerges: number;
  /** Vocab entries actually produced (can be below vocabSize if training stops on min_frequency). */
  bpeVocabSize: number;
  numWords: number;
  lastMergeCount: number;
  stoppedBy: "vocab_size" | "min_frequency" | "no_pairs";
  duplicateTokens: number;
  /** The reference's logged warnings (alphabet close to the vocab size). */
  warnings: string[];
}

export const FIT_MIN_FREQUENCY = 2;
export const FIT_MAX_TOKEN_LENGTH = 10000;

export function fitFast(chunks: readonly ActionChunk[], options: FitOptions = {}): { processor: FastProcessor; report: FitReport } {
  const scale = options.scale ?? 10;
  const vocabSize = options.vocabSize ?? 1024;
  if (!Number.isFinite(scale) || scale <= 0) throw new FastInputError(`scale is ${scale}; it must be a positive number`);
  if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new FastInputError(`vocab size is ${vocabSize}; it must be a positive integer`);
  if (chunks.length === 0) throw new FastInputError("no action chunks to fit on");

  // Quantized coefficients of every chunk, row-major, kept as integers.
  const quantized: Int32Array[] = [];
  let min = Infinity;
  let max = -Infinity;
  let coef = new Float64Array(0);
  chunks.forEach((chunk, i) => {
    assertChunk(chunk, `chunk ${i}`);
    const n = chunk.horizon * chunk.dim;
    if (coef.length < n) coef = new Float64Array(n);
    dctForward(chunk.data, chunk.horizon, chunk.dim, coef);
    const q = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const v = roundHalfEven(coef[k] * scale);
      if (!Number.isFinite(v) || Math.abs(v) > 0x3fffffff) {
        throw new FastInputError(`chunk ${i} has ${Number.isFinite(coef[k]) ? "a DCT coefficient too large to quantize" : "NaN or infinite actions"}; normalize the actions first`);
      }
      q[k] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    quantized.push(q);
  });
  const range = max - min;
  if (range > vocabSize) {
    throw new FastInputError(`vocab size ${vocabSize} is too small for the range of tokens ${range} (min ${min}, max ${max}); raise --vocab-size or lower --scale`);
  }
  const warnings: string[] = [];
  if (range + 100 > vocabSize) {
    warnings.push(`initial alphabet size ${range} is almost as large as the vocab size ${vocabSize}; consider increasing the vocab size`);
  }

  const initialAlphabet: number[] = [];
  for (let cp = 0; cp <= range; cp++) initialAlphabet.push(cp);
  const trainer = new BpeTrainer({ vocabSize, minFrequency: FIT_MIN_FREQUENCY, initialAlphabet, maxTokenLength: FIT_MAX_TOKEN_LENGTH });
  for (const q of quantized) {
    for (let k = 0; k < q.length; k++) q[k] -= min;
    trainer.feedCodePoints(q);
  }
  const result = trainer.train();
  const model = new BpeModel(result.vocab, result.merges);
  const tokenizer = new ByteLevelBpeTokenizer(model, { cleanUpTokenizationSpaces: false });
  const processor = new FastProcessor(tokenizer, {
    scale,
    minToken: min,
    vocabSize,
    timeHorizon: options.timeHorizon ?? chunks[0].horizon,
    actionDim: options.actionDim ?? chunks[0].dim,
  });
  return {
    processor,
    report: {
      minToken: min,
      maxToken: max,
      alphabetSize: result.alphabetSize,
      numMerges: result.merges.length,
      bpeVocabSize: result.vocab.size,
      numWords: result.numWords,
      lastMergeCount: result.lastMergeCount,
      stoppedBy: result.stoppedBy,
      duplicateTokens: result.duplicateTokens,
      warnings,
    },
  };
}
