// The ByteLevel split (reference/fast.md R1–R4): per-code-point classes as the Rust engine
// probed them, the reference's pre-tokenizations, and the hand scanner vs the R3 regex.
import { describe, expect, it } from "vitest";

import {
  BYTE_TO_CHAR,
  BYTELEVEL_SPLIT_REGEX,
  CLASS_LETTER,
  CLASS_NUMBER,
  CLASS_OTHER,
  CLASS_SPACE,
  charClass,
  pretokenize,
} from "../../../src/fast/index.js";
import { fixture, fixtureSuite, haveFixtures, rng } from "./fixtures.js";

/** A piece as the reference lists it: UTF-8 bytes through the byte-level table. */
function byteLevel(piece: string): string {
  return Array.from(new TextEncoder().encode(piece), (b) => String.fromCharCode(BYTE_TO_CHAR[b])).join("");
}

describe.skipIf(!haveFixtures)(fixtureSuite("pre-tokenizer vs reference"), () => {
  it("classifies every code point below 12288 as the Rust engine does", () => {
    const r = fixture<{ rust: string; max: number }>("regex_classes.json");
    const letter = { L: CLASS_LETTER, N: CLASS_NUMBER, S: CLASS_SPACE, O: CLASS_OTHER } as Record<string, number>;
    const wrong: number[] = [];
    for (let cp = 0; cp < r.max; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (charClass(cp) !== letter[r.rust[cp]]) wrong.push(cp);
    }
    expect(wrong).toEqual([]);
  });

  it("splits the fit() training strings like the reference", () => {
    const f = fixture<{ codepoints: number[][]; pretokenized: string[][] }>("fit_strings_first50.json");
    f.codepoints.forEach((cps, i) => {
      expect(pretokenize(String.fromCodePoint(...cps)).map(byteLevel)).toEqual(f.pretokenized[i]);
    });
  });

  it("splits the held-out encode strings like the reference", () => {
    const h = fixture<{ codepoints: number[][]; pretokenized: string[][] }>("heldout_tokens_v1024.json");
    h.codepoints.forEach((cps, i) => {
      expect(pretokenize(String.fromCodePoint(...cps)).map(byteLevel)).toEqual(h.pretokenized[i]);
    });
  });
});

describe("pre-tokenizer", () => {
  it("follows the GPT-2 pattern on hand cases", () => {
    expect(pretokenize("it's  a test\n\n  x")).toEqual(["it", "'s", " ", " a", " test", "\n\n ", " x"]);
    expect(pretokenize("a\u0085b")).toEqual(["a", "\u0085", "b"]); // U+0085 is white space in Rust
    expect(pretokenize("!'s 're 12ab  ")).toEqual(["!'", "s", " '", "re", " 12", "ab", "  "]);
    expect(pretokenize("\t\tx")).toEqual(["\t", "\t", "x"]);
  });

  it("agrees with the JS regex of R3 on random strings (code points < 2048)", () => {
    const r = rng(11);
    const pool = [0x20, 0x27, 0x0a, 0x09, 0x85, 0xa0, 0x73, 0x72, 0x65, 0x6c, 0x64, 0x31];
    for (let i = 0; i < 4000; i++) {
      const len = 1 + Math.floor(r() * 30);
      let s = "";
      for (let k = 0; k < len; k++) s += String.fromCodePoint(r() < 0.4 ? pool[Math.floor(r() * pool.length)] : Math.floor(r() * 2048));
      expect(pretokenize(s)).toEqual(s.match(BYTELEVEL_SPLIT_REGEX) ?? []);
    }
  });
});
