// Pillow-exact BICUBIC resize (reference/qwen2_5_vl.md §1.3) against Pillow's own outputs:
// fixtures/pillow_resize_cases.json (made by fixtures/make_pillow_resize_cases.py) and, through
// pixel_values, the two resized images of preprocess.safetensors.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { axisCoeffs, preprocessImage, resizeBicubicRgb, VisionInputError } from "../../../src/vision/index.js";
import { maxAbsDiff } from "../../helpers/tensors.js";
import { haveFixtures, imagePath, suite, tensor } from "./fixtures.js";

interface Case {
  in_h: number;
  in_w: number;
  out_h: number;
  out_w: number;
  pattern: string;
  input: string;
  output: string;
}
const casesFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "pillow_resize_cases.json");
const doc = JSON.parse(readFileSync(casesFile, "utf8")) as { pillow: string; cases: Case[] };
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"));

describe(`resizeBicubicRgb vs Pillow ${doc.pillow} Image.resize(BICUBIC)`, () => {
  for (const c of doc.cases) {
    it(`${c.pattern} ${c.in_h}x${c.in_w} → ${c.out_h}x${c.out_w} bit for bit`, () => {
      const out = resizeBicubicRgb(bytes(c.input), c.in_h, c.in_w, c.out_h, c.out_w);
      const ref = bytes(c.output);
      expect(out.length).toBe(ref.length);
      const bad = out.findIndex((v, i) => v !== ref[i]);
      expect(bad === -1 ? null : `byte ${bad}: ${out[bad]} vs ${ref[bad]} (max |diff| ${maxAbsDiff(out, ref)})`).toBeNull();
    });
  }

  it("returns a copy, not the input, when the size is unchanged", () => {
    const src = new Uint8Array(2 * 2 * 3).fill(7);
    const out = resizeBicubicRgb(src, 2, 2, 2, 2);
    expect(out).not.toBe(src);
    expect(Array.from(out)).toEqual(Array.from(src));
  });

  it("has weights summing to about 1.0 in 22-bit fixed point", () => {
    const c = axisCoeffs(300, 308);
    for (let o = 0; o < 308; o++) {
      let s = 0;
      for (let k = 0; k < c.count[o]; k++) s += c.weights[o * c.ksize + k];
      expect(Math.abs(s - (1 << 22))).toBeLessThanOrEqual(c.count[o]);
    }
  });

  it("rejects a wrong buffer length or a zero size", () => {
    expect(() => resizeBicubicRgb(new Uint8Array(5), 1, 2, 2, 2)).toThrow(VisionInputError);
    expect(() => resizeBicubicRgb(new Uint8Array(6), 1, 2, 0, 2)).toThrow(/output height must be a positive integer/);
  });
});

describe.skipIf(!haveFixtures)(suite("resizeBicubicRgb on the transformers fixtures"), () => {
  // Fed with the already-resized pixels and doResize false, the processor must give the fixture's
  // pixel_values exactly: this pins the resize alone, not smart_resize.
  for (const [name, h, w, oh, ow] of [
    ["img_50x70_resized", 50, 70, 56, 56],
    ["img_300x200_resized", 300, 200, 308, 196],
  ] as const) {
    it(`${name} → ${oh}x${ow} matches PIL bit for bit`, () => {
      const resized = resizeBicubicRgb(new Uint8Array(readFileSync(imagePath(name, "rgb"))), h, w, oh, ow);
      const pv = preprocessImage(resized, oh, ow, { doResize: false }).pixelValues;
      const ref = tensor(`${name}.pixel_values`).data;
      expect(maxAbsDiff(pv, ref)).toBe(0);
    });
  }
});
