// DCT, round-half-even quantization and flatten order against the reference fixtures
// (scipy dct/np.around outputs in ../shared/fixtures/fast).
import { describe, expect, it } from "vitest";

import { dctForward, dctInverse, quantizeToCodePoints, roundHalfEven } from "../../../src/fast/index.js";
import { type ActionsFixture, chunks, fixture, fixtureSuite, haveFixtures } from "./fixtures.js";

describe("roundHalfEven", () => {
  it("rounds ties to even, like np.around", () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.5000000000000004, -0.4, 1e300, -7].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, -0, -2, -2, 0, 3, -0, 1e300, -7,
    ]);
  });
});

describe.skipIf(!haveFixtures)(fixtureSuite("DCT and quantization vs reference"), () => {
  it("matches np.around on the rounding fixture", () => {
    const r = fixture<{ inputs: number[]; np_around: number[] }>("rounding.json");
    expect(r.inputs.map(roundHalfEven)).toEqual(r.np_around);
  });

  it("reproduces scipy's DCT, the quantized H×D arrays and the row-major flattening", () => {
    const f = fixture<{ dct: number[][][]; quantized: number[][][]; flat: number[][]; scale: number }>("dct_quantized_first50.json");
    const a = fixture<ActionsFixture>("actions.json");
    const train = chunks(a.train.slice(0, 50));
    expect(f.dct.length).toBe(50);
    let maxErr = 0;
    train.forEach((c, i) => {
      const coef = dctForward(c.data, c.horizon, c.dim, new Float64Array(70));
      for (let k = 0; k < 10; k++) for (let d = 0; d < 7; d++) maxErr = Math.max(maxErr, Math.abs(coef[k * 7 + d] - f.dct[i][k][d]));
      const q = Array.from(coef, (v) => roundHalfEven(v * f.scale) + 0); // + 0: the JSON has no -0
      expect(q).toEqual(f.quantized[i].flat());
      expect(q).toEqual(f.flat[i]);
    });
    expect(maxErr).toBeLessThan(1e-12);
  });

  it("inverts the DCT (DCT-III) to within 1e-12", () => {
    const a = fixture<ActionsFixture>("actions.json");
    for (const c of chunks(a.heldout)) {
      const back = dctInverse(dctForward(c.data, 10, 7, new Float64Array(70)), 10, 7, new Float64Array(70));
      back.forEach((v, i) => expect(Math.abs(v - c.data[i])).toBeLessThan(1e-12));
    }
  });

  it("shifts by min_token with the lower clamp only, as the encode path's code points", () => {
    const h = fixture<{ codepoints: number[][]; min_token: number }>("heldout_tokens_v1024.json");
    const a = fixture<ActionsFixture>("actions.json");
    chunks(a.heldout).forEach((c, i) => {
      const coef = dctForward(c.data, 10, 7, new Float64Array(70));
      const cps = new Int32Array(70);
      expect(quantizeToCodePoints(coef, 70, 10, h.min_token, cps)).toBe(-1);
      expect(Array.from(cps)).toEqual(h.codepoints[i]);
    });
  });
});

describe("quantizeToCodePoints", () => {
  it("clamps below at 0, never above, and flags values that are not code points", () => {
    const cps = new Int32Array(4);
    expect(quantizeToCodePoints(Float64Array.of(-10, 0, 20, 0.05), 4, 10, -50, cps)).toBe(-1);
    expect(Array.from(cps)).toEqual([0, 50, 250, 50]);
    expect(quantizeToCodePoints(Float64Array.of(0, Number.NaN), 2, 10, -50, cps)).toBe(1);
    expect(quantizeToCodePoints(Float64Array.of(200000), 1, 10, 0, cps)).toBe(0); // above U+10FFFF
    expect(quantizeToCodePoints(Float64Array.of(0xd800 / 10), 1, 10, 0, cps)).toBe(0); // surrogate
  });
});
