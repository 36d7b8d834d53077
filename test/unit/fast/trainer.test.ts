// BPE training (port of tokenizers' BpeTrainer) and fit(): the fitted tokenizer must equal the
// reference's tokenizer_v1024.json, and the vocab-2048 fit must match the reference statistics.
import { readFileSync } from "node:fs";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { BpeTrainer, type FastProcessor, fitFast, type FitReport, serializeTokenizerJson } from "../../../src/fast/index.js";
import { type ActionsFixture, chunks, fixture, fixtureDir, fixtureSuite, haveFixtures } from "./fixtures.js";

interface TokenizerFile {
  model: { vocab: Record<string, number>; merges: [string, string][] };
}

describe("BpeTrainer", () => {
  it("reproduces the tokenizers unit test (min_frequency 2)", () => {
    // tokenizers/src/models/bpe/trainer.rs `test_train`, fed as pre-split words.
    const words: [string, number][] = [
      ["roses", 1], ["are", 2], ["red", 1], ["voilets", 1], ["blue", 1], ["BERT", 1],
      ["is", 2], ["big", 1], ["and", 1], ["so", 1], ["GPT", 1],
    ];
    const trainer = new BpeTrainer({ vocabSize: 30000, minFrequency: 2 });
    for (const [w, n] of words) for (let i = 0; i < n; i++) trainer.feed(w);
    const result = trainer.train();
    expect(result.merges).toEqual([["r", "e"], ["a", "re"], ["i", "s"]]);
    expect(result.vocab.get("re")).toBe(result.vocab.size - 3);
    expect(result.stoppedBy).toBe("min_frequency");
  });

  it("stops at the vocab size, counting the alphabet", () => {
    const trainer = new BpeTrainer({ vocabSize: 4, minFrequency: 0, initialAlphabet: [0x61] });
    for (let i = 0; i < 5; i++) trainer.feed("abab");
    const result = trainer.train();
    expect([...result.vocab.keys()]).toEqual(["a", "b", "ab", "abab"]);
    expect(result.stoppedBy).toBe("vocab_size");
  });

  it("keeps raw initial-alphabet characters that are not byte-level characters", () => {
    const trainer = new BpeTrainer({ vocabSize: 10, minFrequency: 2, initialAlphabet: [0, 0x20] });
    trainer.feed("a b");
    const result = trainer.train();
    // "\u0000" and " " stay raw; the space in the text becomes "Ġ" (U+0120).
    expect([...result.vocab.keys()]).toEqual(["\u0000", " ", "a", "b", "Ġ"]);
  });
});

describe.skipIf(!haveFixtures)(fixtureSuite("fit() vs reference"), () => {
  let fit1024: { processor: FastProcessor; report: FitReport };
  beforeAll(() => {
    fit1024 = fitFast(chunks(fixture<ActionsFixture>("actions.json").train), { vocabSize: 1024, scale: 10 });
  });

  it("fits exactly tokenizer_v1024.json (vocab, merges, and the file byte for byte)", () => {
    const ref = fixture<TokenizerFile>("tokenizer_v1024.json");
    const model = fit1024.processor.tokenizer.model;
    expect(model.merges).toEqual(ref.model.merges);
    expect(Object.fromEntries(model.vocab)).toEqual(ref.model.vocab);
    expect(serializeTokenizerJson(model)).toBe(readFileSync(path.join(fixtureDir, "tokenizer_v1024.json"), "utf8"));
  });

  it("finds the reference processor config and training statistics", () => {
    const cfg = fixture<Record<string, number>>("processor_config_v1024.json");
    const s = fixture<{ tokenizers: { v1024: Record<string, unknown> } }>("summary.json").tokenizers.v1024;
    const c = fit1024.processor.config;
    expect([c.scale, c.minToken, c.vocabSize, c.timeHorizon, c.actionDim]).toEqual([cfg.scale, cfg.min_token, cfg.vocab_size, cfg.time_horizon, cfg.action_dim]);
    const r = fit1024.report;
    expect(r.maxToken).toBe(s.max_token);
    expect(r.maxToken - r.minToken + 1).toBe(s.alphabet_size); // raw initial alphabet
    expect(r.numWords).toBe(s.n_words);
    expect(r.numMerges).toBe(s.n_merges);
    expect(r.lastMergeCount).toBe(s.last_merge_count);
    expect(r.stoppedBy).toBe(s.stopped_by);
    expect(r.duplicateTokens).toBe(s.duplicate_pairs);
    expect(r.warnings.length > 0).toBe(s.warning_alphabet_close_to_vocab);
  });

  it("produces the reference fit() training strings", () => {
    const f = fixture<{ codepoints: number[][]; min_token: number }>("fit_strings_first50.json");
    expect(fit1024.report.minToken).toBe(f.min_token);
    // Encoding a training chunk uses these strings (no clamp needed inside the fitted range).
    const train = chunks(fixture<ActionsFixture>("actions.json").train.slice(0, 50));
    const tok = fit1024.processor.tokenizer;
    train.forEach((c, i) => {
      expect(Array.from(fit1024.processor.encode(c))).toEqual(Array.from(tok.encode(String.fromCodePoint(...f.codepoints[i]))));
    });
  });

  it("matches the vocab-2048 fit statistics (merge count, last count, tokens per chunk)", () => {
    const a = fixture<ActionsFixture>("actions.json");
    const s = fixture<{ tokenizers: { v2048: Record<string, number> } }>("summary.json").tokenizers.v2048;
    const { processor, report } = fitFast(chunks(a.train), { vocabSize: 2048 });
    expect(report.numMerges).toBe(s.n_merges);
    expect(report.bpeVocabSize).toBe(s.bpe_vocab_size);
    expect(report.lastMergeCount).toBe(s.last_merge_count);
    const mean = (set: number[][][]) => chunks(set).reduce((n, c) => n + processor.encode(c).length, 0) / set.length;
    expect(mean(a.train)).toBeCloseTo(s.train_mean_tokens, 10);
    expect(mean(a.heldout)).toBeCloseTo(s.heldout_mean_tokens, 10);
  });
});

describe("fitFast", () => {
  it("rejects a vocab smaller than the coefficient range, as the reference asserts", () => {
    const c = { horizon: 2, dim: 1, data: Float64Array.of(0, 100) };
    expect(() => fitFast([c], { vocabSize: 100 })).toThrow(/too small for the range of tokens/);
  });

  it("rejects non-finite actions", () => {
    const c = { horizon: 2, dim: 1, data: Float64Array.of(0, Number.NaN) };
    expect(() => fitFast([c], { vocabSize: 100 })).toThrow(/NaN/);
  });
});
