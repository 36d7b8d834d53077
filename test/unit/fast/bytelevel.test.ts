// GPT-2 byte-level table and lossy UTF-8 decoding (reference/fast.md B1–B2, D2.1, G4).
import { describe, expect, it } from "vitest";

import { BYTE_TO_CHAR, charToByte, decodeUtf8Lossy, tokenBytes, writeUtf8 } from "../../../src/fast/index.js";
import { fixture, fixtureSuite, haveFixtures, rng } from "./fixtures.js";

describe.skipIf(!haveFixtures)(fixtureSuite("byte-level table"), () => {
  it("equals the reference byte → char table and inverts it", () => {
    const t = fixture<{ byte_to_codepoint: number[] }>("bytelevel_table.json");
    expect(Array.from(BYTE_TO_CHAR)).toEqual(t.byte_to_codepoint);
    for (let b = 0; b < 256; b++) expect(charToByte(t.byte_to_codepoint[b])).toBe(b);
  });
});

describe("byte-level helpers", () => {
  it("maps the 68 unprintable bytes to U+0100…U+0143 in order", () => {
    const shifted = [...BYTE_TO_CHAR].filter((c) => c >= 0x100);
    expect(shifted).toEqual(Array.from({ length: 68 }, (_, i) => 0x100 + i));
    expect(BYTE_TO_CHAR[0x20]).toBe(0x120); // space is Ġ
    expect(charToByte(0x20)).toBe(-1);
  });

  it("decodes a token's bytes through the table, or its own UTF-8 when it has non-byte-level characters", () => {
    expect(Array.from(tokenBytes("Å¢"))).toEqual([0xc5, 0xa2]);
    expect(Array.from(tokenBytes("Ġ7"))).toEqual([0x20, 0x37]);
    expect(Array.from(tokenBytes("\u0000"))).toEqual([0]); // raw-alphabet entry of a fit() vocab
    expect(Array.from(tokenBytes(" "))).toEqual([0x20]);
  });

  it("writes UTF-8 like TextEncoder", () => {
    const enc = new TextEncoder();
    for (const cp of [0, 0x7f, 0x80, 0x162, 0x7ff, 0x800, 0xfffd, 0x10000, 0x10ffff]) {
      const buf = new Uint8Array(4);
      const n = writeUtf8(cp, buf, 0);
      expect(Array.from(buf.subarray(0, n))).toEqual(Array.from(enc.encode(String.fromCodePoint(cp))));
    }
  });

  it("decodes malformed UTF-8 exactly like TextDecoder (fatal: false)", () => {
    const td = new TextDecoder("utf-8", { fatal: false });
    const cases = [
      [0xc5],
      [0xc5, 0xa2, 0xc5],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x98],
      [0xc0, 0xaf],
      [0xff, 0xfe, 0x41],
      [0x80, 0xbf, 0xc2],
      [0xe2, 0x82, 0x41],
    ];
    const r = rng(3);
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(r() * 12);
      cases.push(Array.from({ length: len }, () => (r() < 0.5 ? 0x80 + Math.floor(r() * 0x80) : Math.floor(r() * 256))));
    }
    for (const c of cases) {
      const bytes = Uint8Array.from(c);
      const out = new Int32Array(bytes.length + 1);
      const n = decodeUtf8Lossy(bytes, bytes.length, out);
      expect(Array.from(out.subarray(0, n))).toEqual(Array.from(td.decode(bytes), (ch) => ch.codePointAt(0)));
    }
  });
});
