// Trains a small byte-level BPE text tokenizer in Qwen2's layout (reference/qwen2_5_vl.md §2).
// The npm `tokenizers` 0.23 bindings expose no configurable BPE trainer (`Trainer` has no
// constructor; `Tokenizer.train(files)` only runs the model's default trainer), so this reuses
// the port of the Rust `BpeTrainer` in src/fast/bpe-trainer.ts. Text is NFC-normalized and split
// with Qwen2's pattern; each piece is fed to that trainer, which splits it again with the GPT-2
// pattern, so a few merges Qwen2 would allow (punctuation + letters, e.g. ".H") are never learned.
// The result is still a valid tokenizer: every merge lies inside a Qwen2 piece.

import { BYTE_TO_CHAR } from "../fast/bytelevel.js";
import { BpeTrainer, type BpeTrainingResult } from "../fast/bpe-trainer.js";
import { TextInputError } from "./errors.js";
import { qwenPretokenize } from "./qwen-pretokenize.js";
import { buildQwenTokenizerFiles, type QwenTokenizerFileOptions, type TokenizerFiles } from "./tokenizer-files.js";

export interface QwenBpeTrainingOptions extends QwenTokenizerFileOptions {
  /**
   * Size of the learned vocabulary: the 256 byte symbols plus merges (the special tokens come
   * after it, so `<|endoftext|>` gets id `learnedVocabSize`). Training may stop short of it.
   */
  vocabSize: number;
  /** Pairs seen fewer times are never merged. Default 2. */
  minFrequency?: number;
}

export interface QwenBpeTrainingResult extends TokenizerFiles {
  /** Byte symbols + merges actually learned; the first special token's id. */
  learnedVocabSize: number;
  merges: number;
  stoppedBy: BpeTrainingResult["stoppedBy"];
}

/** Trains on `corpus` and returns Qwen-layout tokenizer.json / tokenizer_config.json objects. */
export function trainQwenBpeTokenizer(corpus: Iterable<string>, options: QwenBpeTrainingOptions): QwenBpeTrainingResult {
  const { vocabSize } = options;
  if (!Number.isInteger(vocabSize) || vocabSize < 256) {
    throw new TextInputError(`vocabSize ${vocabSize} must be an integer ≥ 256 (the byte alphabet alone has 256 symbols)`);
  }
  const trainer = new BpeTrainer({
    vocabSize,
    minFrequency: options.minFrequency ?? 2,
    // All 256 byte symbols, so any text encodes (as ByteLevel.alphabet() in HF training).
    initialAlphabet: BYTE_TO_CHAR,
    maxTokenLength: null,
  });
  for (const text of corpus) {
    if (typeof text !== "string") throw new TextInputError(`the corpus must hold strings, got ${typeof text}`);
    for (const piece of qwenPretokenize(text.normalize("NFC"))) trainer.feed(piece);
  }
  const result = trainer.train();
  const files = buildQwenTokenizerFiles(result.vocab, result.merges, options);
  return { ...files, learnedVocabSize: result.vocab.size, merges: result.merges.length, stoppedBy: result.stoppedBy };
}
