// Encode/decode of the FAST processor against the reference: held-out ids and decoded actions
// of tokenizer_v1024.json, the error table of reference/fast.md §5.1, and FAST+.
import { readFileSync } from "node:fs";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import {
  type ActionChunk,
  ByteLevelBpeTokenizer,
  FastProcessor,
  loadFastDirectory,
  parseTokenizerJson,
} from "../../../src/fast/index.js";
import { type ActionsFixture, chunks, fastPlusDir, fixture, fixtureDir, fixtureSuite, haveFastPlus, haveFixtures } from "./fixtures.js";

interface Heldout {
  ids: number[][];
  tokens: string[][];
  decoded: number[][][];
  decode_statuses: string[];
  min_token: number;
  max_abs_error: number;
}

function maxAbsDiff(a: ActionChunk, rows: number[][]): number {
  let m = 0;
  rows.flat().forEach((v, i) => (m = Math.max(m, Math.abs(a.data[i] - v))));
  return m;
}

function scaled(c: ActionChunk, f: number): ActionChunk {
  return { ...c, data: c.data.map((v) => v * f) };
}

describe.skipIf(!haveFixtures)(fixtureSuite("FAST processor vs reference (fit-1024)"), () => {
  let proc: FastProcessor;
  let heldout: ActionChunk[];
  let h: Heldout;
  beforeAll(() => {
    const model = parseTokenizerJson(readFileSync(path.join(fixtureDir, "tokenizer_v1024.json"), "utf8"));
    proc = new FastProcessor(new ByteLevelBpeTokenizer(model), { scale: 10, minToken: -55, vocabSize: 1024, timeHorizon: 10, actionDim: 7 });
    heldout = chunks(fixture<ActionsFixture>("actions.json").heldout);
    h = fixture<Heldout>("heldout_tokens_v1024.json");
  });

  it("encodes the held-out chunks to the reference ids and tokens", () => {
    heldout.forEach((c, i) => {
      const ids = Array.from(proc.encode(c));
      expect(ids).toEqual(h.ids[i]);
      expect(ids.map((id) => proc.tokenizer.model.idToToken[id])).toEqual(h.tokens[i]);
    });
  });

  it("decodes the reference ids to the reference actions within 1e-12", () => {
    let worst = 0;
    h.ids.forEach((ids, i) => {
      const r = proc.decode(ids, { horizon: 10, dim: 7 });
      expect(r.status).toBe(h.decode_statuses[i] ?? h.decode_statuses[0]);
      worst = Math.max(worst, maxAbsDiff(r.actions, h.decoded[i]));
    });
    expect(worst).toBeLessThan(1e-12);
  });

  it("has the reference round-trip error on the held-out chunks", () => {
    const s = fixture<{ tokenizers: { v1024: { heldout_max_abs_error: number; heldout_max_abs_error_per_dim: number[]; heldout_mean_abs_error: number; heldout_mean_tokens: number } } }>("summary.json").tokenizers.v1024;
    const perDim = new Array(7).fill(0);
    let sum = 0;
    let tokens = 0;
    for (const c of heldout) {
      const ids = proc.encode(c);
      tokens += ids.length;
      const back = proc.decode(ids).actions; // shape from the config (10, 7)
      back.data.forEach((v, i) => {
        const e = Math.abs(v - c.data[i]);
        perDim[i % 7] = Math.max(perDim[i % 7], e);
        sum += e;
      });
    }
    perDim.forEach((m, d) => expect(m).toBeCloseTo(s.heldout_max_abs_error_per_dim[d], 12));
    expect(sum / (heldout.length * 70)).toBeCloseTo(s.heldout_mean_abs_error, 12);
    expect(tokens / heldout.length).toBeCloseTo(s.heldout_mean_tokens, 10);
  });

  it("follows the reference's decode error table (§5.1)", () => {
    const ids = h.ids[0];
    const V = proc.tokenizer.model.vocabSize;
    const ok = proc.decode(ids);
    const zeros = (r: { actions: ActionChunk }) => r.actions.data.every((v) => v === 0);
    for (const bad of [[], ids.slice(0, -1), ids.slice(1), [...ids, ids[ids.length - 1]]]) {
      const r = proc.decode(bad);
      expect(r.status).toBe("length_mismatch");
      expect(zeros(r)).toBe(true);
    }
    for (const skipped of [[...ids.slice(0, 3), V + 5, ...ids.slice(3)], [...ids, V]]) {
      const r = proc.decode(skipped);
      expect(r.status).toBe("ok");
      expect(Array.from(r.actions.data)).toEqual(Array.from(ok.actions.data));
    }
    for (const invalid of [[...ids.slice(0, 2), -1, ...ids.slice(2)], [...ids, 2 ** 32], [...ids, 1.5], [Number.NaN]]) {
      const r = proc.decode(invalid);
      expect(r.status).toBe("invalid_id");
      expect(zeros(r)).toBe(true);
    }
    const rev = proc.decode([...ids].reverse());
    expect(rev.status).toBe("ok");
    expect(maxAbsDiff(rev.actions, h.decoded[0])).toBeGreaterThan(0.1);
  });

  it("drops characters outside the fitted vocab at encode, so chunk × (−3) decodes to zeros", () => {
    const ids = proc.encode(scaled(heldout[0], -3));
    const r = proc.decode(ids);
    expect(r.status).toBe("length_mismatch");
    expect(r.coefficientCount).toBe(68);
    expect(r.actions.data.every((v) => v === 0)).toBe(true);
  });

  it("round-trips a constant chunk and the zero chunk", () => {
    for (const c of [{ horizon: 10, dim: 7, data: new Float64Array(70).fill(0.25) }, { horizon: 10, dim: 7, data: new Float64Array(70) }]) {
      const r = proc.decode(proc.encode(c));
      expect(r.status).toBe("ok");
      r.actions.data.forEach((v, i) => expect(Math.abs(v - c.data[i])).toBeLessThan(0.05));
    }
  });
});

describe.skipIf(!haveFixtures || !haveFastPlus)(fixtureSuite("FAST+"), () => {
  let proc: FastProcessor;
  let heldout: ActionChunk[];
  beforeAll(() => {
    proc = loadFastDirectory(fastPlusDir).processor;
    heldout = chunks(fixture<ActionsFixture>("actions.json").heldout);
  });

  it("loads the released configuration (U1, U4, U7)", () => {
    expect(proc.config).toEqual({ scale: 10, minToken: -354, vocabSize: 2048, timeHorizon: null, actionDim: null });
    expect(proc.tokenizer.model.vocabSize).toBe(2048);
    expect(proc.tokenizer.model.merges.length).toBe(1792);
    expect(proc.tokenizer.model.idToToken[256]).toBe("Å¢");
    expect(proc.tokenizer.cleanUpTokenizationSpaces).toBe(true);
  });

  it("encodes and decodes the held-out chunks with the reference's error and token counts", () => {
    const s = fixture<{ tokenizers: { fastplus: { heldout_max_abs_error: number; heldout_mean_abs_error: number; heldout_mean_tokens: number; train_mean_tokens: number } } }>("summary.json").tokenizers.fastplus;
    let worst = 0;
    let sum = 0;
    let tokens = 0;
    for (const c of heldout) {
      const ids = proc.encode(c);
      tokens += ids.length;
      const r = proc.decode(ids, { horizon: 10, dim: 7 });
      expect(r.status).toBe("ok");
      r.actions.data.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - c.data[i]));
        sum += Math.abs(v - c.data[i]);
      });
    }
    expect(worst).toBeCloseTo(s.heldout_max_abs_error, 12);
    expect(sum / (heldout.length * 70)).toBeCloseTo(s.heldout_mean_abs_error, 12);
    expect(tokens / heldout.length).toBeCloseTo(s.heldout_mean_tokens, 10);
    const train = chunks(fixture<ActionsFixture>("actions.json").train);
    expect(train.reduce((n, c) => n + proc.encode(c).length, 0) / train.length).toBeCloseTo(s.train_mean_tokens, 10);
  });

  it("decodes a lone lead byte as U+FFFD: garbage when the length still fits, zeros otherwise (U6, §5.1)", () => {
    const lead = proc.tokenizer.model.tokenToId("Å") as number;
    const shape = { horizon: 10, dim: 7 };
    let oneCoef = 0;
    let twoCoef = 0;
    for (const c of heldout) {
      const ids = Array.from(proc.encode(c));
      const appended = proc.decode([...ids, lead], shape);
      expect(appended.status).toBe("length_mismatch");
      expect(appended.coefficientCount).toBe(71);
      ids.forEach((id, k) => {
        const n = [...proc.tokenizer.decode([id])].length;
        const token = proc.tokenizer.model.idToToken[id] as string;
        if (!(token.length === 2 && n === 1) && !(token.length === 4 && n === 2)) return; // whole coefficients only
        const r = proc.decode([...ids.slice(0, k), lead, ...ids.slice(k + 1)], shape);
        if (n === 1) {
          oneCoef++;
          expect(r.status).toBe("ok");
          expect(Math.max(...r.actions.data.map(Math.abs))).toBeGreaterThan(1000);
        } else {
          twoCoef++;
          expect(r.status).toBe("length_mismatch");
          expect(r.coefficientCount).toBe(69);
        }
      });
    }
    expect(oneCoef).toBeGreaterThan(0);
    expect(twoCoef).toBeGreaterThan(0);
  });
});

describe("FastProcessor", () => {
  const tok = new ByteLevelBpeTokenizer(parseTokenizerJson(JSON.stringify({ pre_tokenizer: { type: "ByteLevel" }, decoder: { type: "ByteLevel" }, model: { vocab: { a: 0 }, merges: [] } })));
  const proc = new FastProcessor(tok, { scale: 10, minToken: 0, vocabSize: 1, timeHorizon: null, actionDim: null });

  it("needs a chunk shape to decode when the config has none", () => {
    expect(() => proc.decode([0])).toThrow(/needs the chunk shape/);
    expect(proc.decode([0], { horizon: 1, dim: 1 }).status).toBe("ok");
    expect(proc.decode([0], { horizon: 2, dim: 1 }).status).toBe("length_mismatch");
  });

  it("refuses to encode NaN, as the reference raises", () => {
    expect(() => proc.encode({ horizon: 1, dim: 1, data: Float64Array.of(Number.NaN) })).toThrow(/NaN/);
    expect(() => proc.encode({ horizon: 2, dim: 1, data: Float64Array.of(1) })).toThrow(/needs 2/);
  });
});
