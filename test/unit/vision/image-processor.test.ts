// pixel_values / image_grid_thw against transformers' Qwen2VLImageProcessorPil outputs
// (preprocess.safetensors, reference/qwen2_5_vl.md §1, §10.5), from the raw .rgb and the .png inputs.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { loadImageRgb, preprocessImage, preprocessImages, rawRgbImage, VisionInputError } from "../../../src/vision/index.js";
import { maxAbsDiff } from "../../helpers/tensors.js";
import { haveFixtures, IMAGE_NAMES, imagePath, preprocessJson, suite, tensor } from "./fixtures.js";

function rawImage(name: string) {
  const [height, width] = preprocessJson().images[name].hw;
  return rawRgbImage(readFileSync(imagePath(name, "rgb")), { height, width });
}

/** Exact comparison: the first differing element, or null. */
function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `element ${i}: ${a[i]} vs ${b[i]} (max |diff| ${maxAbsDiff(a, b)})`;
  return null;
}

describe.skipIf(!haveFixtures)(suite("preprocessImage vs transformers (PIL backend)"), () => {
  it("the fixtures were made by the PIL backend with the hub pixel limits", () => {
    const j = preprocessJson();
    expect(j.processor).toMatch(/Qwen2VLImageProcessorPil$/);
    expect([j.min_pixels, j.max_pixels]).toEqual([3136, 12845056]);
  });

  for (const name of IMAGE_NAMES) {
    it(`${name}: raw .rgb → pixel_values bit for bit, grid exact`, () => {
      const img = rawImage(name);
      const ref = tensor(`${name}.pixel_values`);
      const grid = tensor(`${name}.image_grid_thw`);
      const out = preprocessImage(img.data, img.height, img.width);
      expect(out.gridThw).toEqual(Array.from(grid.data));
      expect(out.gridThw).toEqual(preprocessJson().images[name].grid_thw);
      expect([out.numPatches, 1176]).toEqual(ref.shape);
      expect(out.numImageTokens).toBe((out.gridThw[1] * out.gridThw[2]) / 4);
      expect(out.pixelValues.length).toBe(ref.data.length);
      expect(firstMismatch(out.pixelValues, ref.data)).toBeNull();
    });

    it(`${name}: decoded .png → same pixels as .rgb and the same pixel_values`, async () => {
      const png = await loadImageRgb(imagePath(name, "png"));
      const raw = rawImage(name);
      expect([png.height, png.width]).toEqual([raw.height, raw.width]);
      expect(Buffer.from(png.data).equals(Buffer.from(raw.data))).toBe(true);
      const out = preprocessImage(png.data, png.height, png.width);
      expect(firstMismatch(out.pixelValues, tensor(`${name}.pixel_values`).data)).toBeNull();
    });
  }

  it("resizes img_50x70_resized to 56x56 and img_300x200_resized to 308x196", () => {
    const a = rawImage("img_50x70_resized");
    const b = rawImage("img_300x200_resized");
    const ra = preprocessImage(a.data, a.height, a.width);
    const rb = preprocessImage(b.data, b.height, b.width);
    expect([ra.resizedHeight, ra.resizedWidth, rb.resizedHeight, rb.resizedWidth]).toEqual([56, 56, 308, 196]);
  });

  it("batches images of different sizes: pixel values concatenated, grids stacked", () => {
    const names = ["img_56x84", "img_300x200_resized", "img_84x56", "img_50x70_resized"];
    const batch = preprocessImages(names.map(rawImage));
    const refs = names.map((n) => tensor(`${n}.pixel_values`).data);
    const total = refs.reduce((n, r) => n + r.length, 0);
    const expected = new Float64Array(total);
    let off = 0;
    for (const r of refs) {
      expected.set(r, off);
      off += r.length;
    }
    expect(firstMismatch(batch.pixelValues, expected)).toBeNull();
    expect(batch.gridThw).toEqual(names.map((n) => Array.from(tensor(`${n}.image_grid_thw`).data)));
    expect(batch.numPatches).toEqual(names.map((n) => tensor(`${n}.pixel_values`).shape[0]));
    expect(batch.numImageTokens).toEqual(batch.numPatches.map((n) => n / 4));
    expect(batch.patchDim).toBe(1176);
  });

  it("reads the same fixture pixels through loadImageRgb(path.rgb, size)", async () => {
    const [height, width] = preprocessJson().images.img_56x84.hw;
    const img = await loadImageRgb(imagePath("img_56x84", "rgb"), { height, width });
    expect(Buffer.from(img.data).equals(readFileSync(imagePath("img_56x84", "rgb")))).toBe(true);
  });
});

describe("preprocessImage input checks", () => {
  it("rejects a buffer whose length does not match height·width·3", () => {
    expect(() => preprocessImage(new Uint8Array(10), 2, 2)).toThrow(VisionInputError);
    expect(() => preprocessImage(new Uint8Array(10), 2, 2)).toThrow(/2x2 RGB image has 12 bytes/);
  });

  it("requires a multiple of patchSize·mergeSize when resizing is off", () => {
    expect(() => preprocessImage(new Uint8Array(30 * 28 * 3), 30, 28, { doResize: false })).toThrow(/multiple of patchSize·mergeSize = 28/);
  });

  it("names the failing image of a batch", () => {
    expect(() => preprocessImages([{ data: new Uint8Array(28 * 28 * 3), height: 28, width: 28 }, { data: new Uint8Array(3), height: 1, width: 300 }])).toThrow(
      /image 1: .*300/,
    );
  });
});
