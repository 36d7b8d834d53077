// Interop with the Rust tokenizers library through its Node binding (npm `tokenizers`): the
// tokenizer.json files this project writes load there and encode/decode exactly as here, and
// the action vocabulary added to a Qwen-style tokenizer.json behaves as intended.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  ACTION_END,
  ACTION_START,
  actionAnswerIds,
  addActionTokens,
  ByteLevelBpeTokenizer,
  cleanUpTokenization,
  dctForward,
  fitFast,
  type FastProcessor,
  loadFastDirectory,
  parseTokenizerJson,
  quantizeToCodePoints,
  renderActionAnswer,
  saveFastDirectory,
} from "../../../src/fast/index.js";
import { type ActionsFixture, chunks, fastPlusDir, fixture, fixtureDir, fixtureSuite, haveFastPlus, haveFixtures, rng } from "./fixtures.js";

type RustTokenizer = {
  encode(text: string): Promise<{ getIds(): number[] }>;
  decode(ids: number[], skipSpecialTokens: boolean): Promise<string>;
};
type RustTokenizerClass = { fromFile(file: string): RustTokenizer };
let Tokenizer: RustTokenizerClass | null = null;
let missing = "";
try {
  Tokenizer = ((await import("tokenizers")) as unknown as { Tokenizer: RustTokenizerClass }).Tokenizer;
} catch (e) {
  missing = `npm package "tokenizers" cannot be loaded (${(e as Error).message.split("\n")[0]}); run npm install`;
}
const suite = (name: string) => (Tokenizer ? fixtureSuite(name) : `${name} [skipped: ${missing}]`);

const tmp = mkdtempSync(path.join(os.tmpdir(), "fast-interop-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function loadTokenizerFile(file: string): ByteLevelBpeTokenizer {
  return new ByteLevelBpeTokenizer(parseTokenizerJson(readFileSync(file, "utf8"), file));
}

/** Encode-path string of a chunk under (scale 10, minToken). */
function chunkString(data: Float64Array, minToken: number): string {
  const cps = new Int32Array(70);
  quantizeToCodePoints(dctForward(data, 10, 7, new Float64Array(70)), 70, 10, minToken, cps);
  return String.fromCodePoint(...cps);
}

function randomStrings(n: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(r() * 100);
    let s = "";
    for (let k = 0; k < len; k++) {
      const mode = i % 3;
      let cp = mode === 0 ? 280 + Math.floor(r() * 140) : mode === 1 ? Math.floor(r() * 140) : Math.floor(r() * 2048);
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41;
      s += String.fromCodePoint(cp);
    }
    out.push(s);
  }
  return out;
}

describe.skipIf(!Tokenizer || !haveFixtures)(suite("saved tokenizer.json in Rust tokenizers"), () => {
  let fitted: FastProcessor;
  let rustFit: RustTokenizer;
  beforeAll(() => {
    const dir = path.join(tmp, "fit1024");
    saveFastDirectory(dir, fitFast(chunks(fixture<ActionsFixture>("actions.json").train), { vocabSize: 1024 }));
    fitted = loadFastDirectory(dir).processor;
    rustFit = (Tokenizer as RustTokenizerClass).fromFile(path.join(dir, "tokenizer.json"));
  });

  it("encodes the held-out strings to the reference ids (fit-1024 written here)", async () => {
    const h = fixture<{ codepoints: number[][]; ids: number[][] }>("heldout_tokens_v1024.json");
    for (let i = 0; i < h.ids.length; i++) {
      const s = String.fromCodePoint(...h.codepoints[i]);
      expect((await rustFit.encode(s)).getIds()).toEqual(h.ids[i]);
      expect(Array.from(fitted.tokenizer.encode(s))).toEqual(h.ids[i]);
    }
  });

  it("agrees with this implementation on random strings, encode and decode", async () => {
    for (const s of randomStrings(1500, 5)) {
      const ids = (await rustFit.encode(s)).getIds();
      expect(Array.from(fitted.tokenizer.encode(s))).toEqual(ids);
      expect(fitted.tokenizer.decode(ids)).toBe(await rustFit.decode(ids, false));
    }
  });
});

describe.skipIf(!Tokenizer || !haveFixtures || !haveFastPlus)(suite("FAST+ re-saved, in Rust tokenizers"), () => {
  it("encodes held-out chunks and random strings like the original file and like this implementation", async () => {
    const src = loadFastDirectory(fastPlusDir);
    const dir = path.join(tmp, "fastplus");
    saveFastDirectory(dir, src);
    const T = Tokenizer as RustTokenizerClass;
    const original = T.fromFile(path.join(fastPlusDir, "tokenizer.json"));
    const resaved = T.fromFile(path.join(dir, "tokenizer.json"));
    const ours = src.processor;
    const strings = chunks(fixture<ActionsFixture>("actions.json").heldout).map((c) => chunkString(c.data, -354));
    strings.push(...randomStrings(1500, 9));
    for (const s of strings) {
      const ids = (await original.encode(s)).getIds();
      expect((await resaved.encode(s)).getIds()).toEqual(ids);
      expect(Array.from(ours.tokenizer.encode(s))).toEqual(ids);
      // FAST+ cleans up tokenization spaces in transformers; the Rust decode itself does not.
      expect(ours.tokenizer.decode(ids)).toBe(cleanUpTokenization(await original.decode(ids, false)));
    }
    const held = chunks(fixture<ActionsFixture>("actions.json").heldout);
    for (const c of held) expect(Array.from(ours.encode(c))).toEqual((await original.encode(chunkString(c.data, -354))).getIds());
  });
});

describe.skipIf(!Tokenizer || !haveFixtures)(suite("action vocabulary in a Qwen-style tokenizer.json"), () => {
  it("encodes action tokens atomically and keeps them when decoding with skip_special_tokens", async () => {
    // A byte-level BPE with an NFC normalizer and a special <|endoftext|>, as Qwen2's tokenizer.json.
    const base = JSON.parse(readFileSync(path.join(fixtureDir, "tokenizer_v1024.json"), "utf8"));
    const V = Object.keys(base.model.vocab).length;
    base.normalizer = { type: "NFC" };
    base.added_tokens = [{ id: V, content: "<|endoftext|>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }];
    const { tokenizer, vocab, added } = addActionTokens(base, 2048);
    expect(added).toBe(2050);
    expect(vocab).toEqual({ startId: V + 1, endId: V + 2, firstActionId: V + 3, size: 2048 });
    const file = path.join(tmp, "qwen-style.json");
    writeFileSync(file, JSON.stringify(tokenizer));
    const rust = (Tokenizer as RustTokenizerClass).fromFile(file);

    const fastIds = [12, 0, 2047, 7];
    const answer = renderActionAnswer(fastIds);
    expect(answer).toBe(`${ACTION_START}<action_12><action_0><action_2047><action_7>${ACTION_END}`);
    const modelIds = actionAnswerIds(fastIds, vocab);
    expect((await rust.encode(answer)).getIds()).toEqual(modelIds);
    const withEos = [...modelIds, V];
    expect(await rust.decode(withEos, true)).toBe(answer);
    expect(await rust.decode(withEos, false)).toBe(`${answer}<|endoftext|>`);
  });
});

describe.skipIf(!Tokenizer)(suite("random BPE vocabularies in Rust tokenizers"), () => {
  it("applies arbitrary merge lists (any order, ignore_merges) exactly like Rust", async () => {
    const r = rng(23);
    const letters = ["a", "b", "c", "d", "Å", "¢"];
    for (let trial = 0; trial < 12; trial++) {
      // Random merges over a small alphabet, listed in a shuffled order.
      const vocab = new Map<string, number>(letters.map((l, i) => [l, i]));
      const merges: [string, string][] = [];
      const tokens = [...letters];
      for (let k = 0; k < 40; k++) {
        const x = tokens[Math.floor(r() * tokens.length)];
        const y = tokens[Math.floor(r() * tokens.length)];
        if (x.length + y.length > 8 || merges.some(([p, q]) => p === x && q === y)) continue;
        merges.push([x, y]);
        if (!vocab.has(x + y)) {
          vocab.set(x + y, vocab.size);
          tokens.push(x + y);
        }
      }
      for (let i = merges.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [merges[i], merges[j]] = [merges[j], merges[i]];
      }
      const ignoreMerges = trial % 2 === 1;
      const json = {
        version: "1.0",
        added_tokens: [],
        normalizer: null,
        pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
        post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
        decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
        model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: ignoreMerges, vocab: Object.fromEntries(vocab), merges },
      };
      const file = path.join(tmp, `random-${trial}.json`);
      writeFileSync(file, JSON.stringify(json));
      const rust = (Tokenizer as RustTokenizerClass).fromFile(file);
      const ours = loadTokenizerFile(file);
      const chars = ["a", "b", "c", "d", "Ţ", "Ţ", "x", " "];
      for (let i = 0; i < 300; i++) {
        let s = "";
        const len = 1 + Math.floor(r() * 40);
        for (let k = 0; k < len; k++) s += chars[Math.floor(r() * chars.length)];
        expect(Array.from(ours.encode(s))).toEqual((await rust.encode(s)).getIds());
      }
    }
  });
});
