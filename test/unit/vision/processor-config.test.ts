// preprocessor_config.json reading (reference/qwen2_5_vl.md §1.1; transformers v5.18.0
// Qwen2VLImageProcessorPil.__init__: min_pixels / max_pixels override size).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import {
  imageProcessorOptionsFromConfig,
  loadImageProcessorConfig,
  OPENAI_CLIP_MEAN,
  OPENAI_CLIP_STD,
  patchDim,
  preprocessImage,
  QWEN2_5_VL_IMAGE_DEFAULTS,
} from "../../../src/vision/index.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "vision-cfg-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Qwen/Qwen2.5-VL-7B-Instruct preprocessor_config.json as published on the hub. */
const HUB = {
  min_pixels: 3136,
  max_pixels: 12845056,
  patch_size: 14,
  temporal_patch_size: 2,
  merge_size: 2,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
  image_processor_type: "Qwen2VLImageProcessor",
  processor_class: "Qwen2_5_VLProcessor",
};

function writeDir(name: string, content: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "preprocessor_config.json"), content);
  return dir;
}

describe("image processor config", () => {
  it("reads the hub file of Qwen2.5-VL-7B-Instruct", () => {
    const o = loadImageProcessorConfig(writeDir("hub", JSON.stringify(HUB)));
    expect(o).toEqual({ ...QWEN2_5_VL_IMAGE_DEFAULTS, minPixels: 3136, maxPixels: 12845056 });
    expect(o.imageMean).toEqual([...OPENAI_CLIP_MEAN]);
    expect(o.imageStd).toEqual([...OPENAI_CLIP_STD]);
    expect(patchDim(o)).toBe(1176);
  });

  it("reads size.shortest_edge / size.longest_edge of newer saves", () => {
    const o = imageProcessorOptionsFromConfig({ size: { shortest_edge: 200704, longest_edge: 1003520 }, patch_size: 14 });
    expect([o.minPixels, o.maxPixels]).toEqual([200704, 1003520]);
  });

  it("lets min_pixels / max_pixels override size, as transformers does", () => {
    const o = imageProcessorOptionsFromConfig({ size: { shortest_edge: 1, longest_edge: 2 }, min_pixels: 3136, max_pixels: 1003520 });
    expect([o.minPixels, o.maxPixels]).toEqual([3136, 1003520]);
  });

  it("uses the hub defaults for a directory without the file, and accepts the file's path", () => {
    expect(loadImageProcessorConfig(tmp)).toEqual(QWEN2_5_VL_IMAGE_DEFAULTS);
    const dir = writeDir("small", JSON.stringify({ ...HUB, max_pixels: 1003520, rescale_factor: 0.00392156862745098 }));
    expect(loadImageProcessorConfig(path.join(dir, "preprocessor_config.json")).maxPixels).toBe(1003520);
  });

  it("changes the grid when max_pixels is lowered", () => {
    const o = imageProcessorOptionsFromConfig({ ...HUB, max_pixels: 28 * 28 * 4 });
    const out = preprocessImage(new Uint8Array(112 * 112 * 3), 112, 112, o);
    expect(out.gridThw).toEqual([1, 4, 4]);
    expect(out.numImageTokens).toBe(4);
  });

  it("explains bad files and values", () => {
    expect(() => loadImageProcessorConfig(path.join(tmp, "absent"))).toThrow(/does not exist/);
    expect(() => loadImageProcessorConfig(writeDir("bad", "{ nope"))).toThrow(/not valid JSON/);
    expect(() => imageProcessorOptionsFromConfig({ max_pixels: "big" })).toThrow(/"max_pixels" must be a number/);
    expect(() => imageProcessorOptionsFromConfig({ image_mean: [0.5, 0.5] })).toThrow(/"image_mean" must be a number or 3 numbers/);
    expect(() => imageProcessorOptionsFromConfig({ min_pixels: 10, max_pixels: 5 })).toThrow(/minPixels 10 exceeds maxPixels 5/);
    expect(() => imageProcessorOptionsFromConfig({ patch_size: 0 })).toThrow(/patchSize must be a positive integer/);
  });
});
