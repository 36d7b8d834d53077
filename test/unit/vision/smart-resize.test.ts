// smart_resize against transformers' outputs in preprocess.json (reference/qwen2_5_vl.md §1.2, §10.5).
import { describe, expect, it } from "vitest";

import { roundHalfToEven, smartResize, VisionInputError } from "../../../src/vision/index.js";
import { preprocessJson, haveFixtures, suite } from "./fixtures.js";

describe.skipIf(!haveFixtures)(suite("smartResize vs transformers"), () => {
  it("reproduces all 30 rows of smart_resize_table", () => {
    const table = preprocessJson().smart_resize_table;
    expect(table).toHaveLength(30);
    for (const r of table) {
      const got = smartResize(r.h, r.w, { factor: 28, minPixels: r.min_pixels, maxPixels: r.max_pixels });
      expect({ case: `${r.h}x${r.w} max ${r.max_pixels}`, ...got }).toEqual({ case: `${r.h}x${r.w} max ${r.max_pixels}`, height: r.out_h, width: r.out_w });
    }
  });

  it("defaults to the hub values (factor 28, min 3136, max 12845056)", () => {
    for (const r of preprocessJson().smart_resize_table.filter((r) => r.max_pixels === 12845056 && r.min_pixels === 3136)) {
      expect(smartResize(r.h, r.w)).toEqual({ height: r.out_h, width: r.out_w });
    }
  });

  it("covers the round-half-to-even rows (70→56, 98→112, 126→112)", () => {
    const table = preprocessJson().smart_resize_table;
    const row = (n: number) => table.find((r) => r.h === n && r.w === n && r.max_pixels === 12845056)!;
    expect([row(70).out_h, row(98).out_h, row(126).out_h]).toEqual([56, 112, 112]);
  });
});

describe("smartResize", () => {
  it("rounds ties to even like Python's round", () => {
    expect([0.5, 1.5, 2.5, 3.5, 4.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfToEven)).toEqual([0, 2, 2, 4, 4, -2, -2, 2, 3]);
  });

  it("rejects aspect ratios above 200 with a clear message", () => {
    expect(() => smartResize(10, 2001)).toThrow(VisionInputError);
    expect(() => smartResize(10, 2001)).toThrow(/aspect ratio must be smaller than 200, got 200.1/);
    expect(smartResize(10, 2000)).toEqual(expect.objectContaining({ height: expect.any(Number) }));
  });

  it("rejects non-positive sizes", () => {
    expect(() => smartResize(0, 10)).toThrow(/height must be a positive integer/);
    expect(() => smartResize(10, 1.5)).toThrow(/width must be a positive integer/);
  });
});
