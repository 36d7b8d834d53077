// Loading and saving FAST processor directories (processor_config.json + tokenizer.json, as
// transformers' save_pretrained lays them out).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import {
  ActionNormalizer,
  computeActionStats,
  fitFast,
  loadFastDirectory,
  saveFastDirectory,
} from "../../../src/fast/index.js";
import { type ActionsFixture, chunks, fastPlusDir, fixture, fixtureDir, fixtureSuite, haveFastPlus, haveFixtures } from "./fixtures.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "fast-dir-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!haveFixtures)(fixtureSuite("processor directories"), () => {
  it("loads the reference fit-1024 files and saves tokenizer.json byte for byte", () => {
    const dir = path.join(tmp, "v1024");
    saveFastDirectory(dir, fitFast(chunks(fixture<ActionsFixture>("actions.json").train), { vocabSize: 1024 }));
    expect(readFileSync(path.join(dir, "tokenizer.json"), "utf8")).toBe(readFileSync(path.join(fixtureDir, "tokenizer_v1024.json"), "utf8"));
    const cfg = JSON.parse(readFileSync(path.join(dir, "processor_config.json"), "utf8"));
    expect(cfg).toEqual(fixture("processor_config_v1024.json"));
    const tc = JSON.parse(readFileSync(path.join(dir, "tokenizer_config.json"), "utf8"));
    expect(tc.clean_up_tokenization_spaces).toBe(false);
    expect(tc.tokenizer_class).toBe("PreTrainedTokenizerFast");

    const loaded = loadFastDirectory(dir);
    expect(loaded.processor.config).toEqual({ scale: 10, minToken: -55, vocabSize: 1024, timeHorizon: 10, actionDim: 7 });
    expect(loaded.normalizer).toBeNull();
    const h = fixture<{ ids: number[][] }>("heldout_tokens_v1024.json");
    chunks(fixture<ActionsFixture>("actions.json").heldout).forEach((c, i) => expect(Array.from(loaded.processor.encode(c))).toEqual(h.ids[i]));
  });

  it("saves normalization statistics next to the tokenizer and removes stale ones", () => {
    const a = fixture<ActionsFixture>("actions.json");
    const raw = chunks(a.raw_train.slice(0, 200));
    const normalizer = new ActionNormalizer(computeActionStats(raw), { mode: "quantile" });
    const { processor } = fitFast(raw.map((c) => normalizer.normalize(c)), { vocabSize: 512 });
    const dir = path.join(tmp, "norm");
    saveFastDirectory(dir, { processor, normalizer });
    const loaded = loadFastDirectory(dir);
    expect(loaded.normalizer?.toJSON()).toEqual(normalizer.toJSON());
    saveFastDirectory(dir, { processor });
    expect(loadFastDirectory(dir).normalizer).toBeNull();
  });
});

describe.skipIf(!haveFastPlus)(fixtureSuite("FAST+ directory"), () => {
  it("re-saves FAST+ keeping its configs, and the copy encodes the same", () => {
    const src = loadFastDirectory(fastPlusDir);
    const dir = path.join(tmp, "fastplus");
    saveFastDirectory(dir, src);
    const cfg = JSON.parse(readFileSync(path.join(dir, "processor_config.json"), "utf8"));
    expect(cfg).toEqual(JSON.parse(readFileSync(path.join(fastPlusDir, "processor_config.json"), "utf8")));
    expect(readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")).toBe(readFileSync(path.join(fastPlusDir, "tokenizer_config.json"), "utf8"));
    const copy = loadFastDirectory(dir);
    expect(copy.processor.tokenizer.model.merges).toEqual(src.processor.tokenizer.model.merges);
    expect(Object.fromEntries(copy.processor.tokenizer.model.vocab)).toEqual(Object.fromEntries(src.processor.tokenizer.model.vocab));
    expect(copy.processor.tokenizer.cleanUpTokenizationSpaces).toBe(true);
  });
});

describe("loadFastDirectory errors", () => {
  it("says what is missing", () => {
    expect(() => loadFastDirectory(path.join(tmp, "nope"))).toThrow(/does not exist/);
    const dir = path.join(tmp, "partial");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "processor_config.json"), "{}");
    expect(() => loadFastDirectory(dir)).toThrow(/needs processor_config.json and tokenizer.json/);
  });

  it("rejects tokenizer.json features FAST does not use", () => {
    const dir = path.join(tmp, "bad");
    const base = { pre_tokenizer: { type: "ByteLevel", add_prefix_space: false }, decoder: { type: "ByteLevel" }, model: { type: "BPE", vocab: { a: 0, b: 1, ab: 2 }, merges: ["a b"] } };
    const write = (tok: object) => {
      saveDir(dir, tok);
      return () => loadFastDirectory(dir);
    };
    expect(write(base)().processor.tokenizer.encode("ab")).toEqual(Int32Array.of(2));
    expect(write({ ...base, normalizer: { type: "NFC" } })).toThrow(/normalizer/);
    expect(write({ ...base, added_tokens: [{ id: 3, content: "<x>" }] })).toThrow(/added_tokens/);
    expect(write({ ...base, model: { ...base.model, dropout: 0.1 } })).toThrow(/dropout/);
    expect(write({ ...base, model: { ...base.model, merges: ["a c"] } })).toThrow(/not in the vocab/);
    expect(write({ ...base, pre_tokenizer: { type: "Whitespace" } })).toThrow(/only ByteLevel/);
  });
});

function saveDir(dir: string, tokenizer: object): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "processor_config.json"), JSON.stringify({ scale: 10, min_token: 0 }));
  writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(tokenizer));
}
