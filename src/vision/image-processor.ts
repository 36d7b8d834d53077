// ref: transformers v5.18.0 models/qwen2_vl/image_processing_pil_qwen2_vl.py `_preprocess`,
// image_transforms.py `rescale`/`normalize` (reference/qwen2_5_vl.md §1.3–§1.6).
import { resizeBicubicRgb } from "./bicubic.js";
import { VisionInputError } from "./errors.js";
import { type ImageProcessorOptions, resolveImageProcessorOptions } from "./processor-config.js";
import { smartResize } from "./smart-resize.js";

export interface RgbImage {
  /** HWC RGB uint8, `height · width · 3` bytes. */
  data: Uint8Array;
  height: number;
  width: number;
}

export interface PreprocessedImage {
  /** `[numPatches, 3 · temporalPatchSize · patchSize²]` float32, row-major. */
  pixelValues: Float32Array;
  /** `[grid_t, grid_h, grid_w]` (grid_t is 1 for an image). */
  gridThw: [number, number, number];
  numPatches: number;
  /** LLM placeholder tokens for this image: grid_h · grid_w / mergeSize². */
  numImageTokens: number;
  /** Size after smart_resize (the size that was patchified). */
  resizedHeight: number;
  resizedWidth: number;
}

export interface PreprocessedBatch {
  /** All images' patches concatenated: `[Σ numPatches, patchDim]`. */
  pixelValues: Float32Array;
  /** One `[t, h, w]` row per image (`image_grid_thw`). */
  gridThw: [number, number, number][];
  /** Patch count of each image, in order. */
  numPatches: number[];
  numImageTokens: number[];
  patchDim: number;
}

/** Width of a `pixel_values` row: C · T · P · P (1176 for Qwen2.5-VL). */
export function patchDim(options: Partial<ImageProcessorOptions> = {}): number {
  const o = resolveImageProcessorOptions(options);
  return 3 * o.temporalPatchSize * o.patchSize * o.patchSize;
}

/**
 * rescale + normalize of every possible uint8 value, per channel: `float32(v · float64(factor))`,
 * then `(x − mean)/std` in float32, as numpy does on a float32 array. A JS double op rounded with
 * fround equals the float32 op (a double holds the exact result of +,−,·,÷ on floats closely enough).
 */
function valueTable(o: ImageProcessorOptions): Float32Array {
  const lut = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const mean = Math.fround(o.imageMean[c]);
    const std = Math.fround(o.imageStd[c]);
    for (let v = 0; v < 256; v++) {
      let x = o.doRescale ? Math.fround(v * o.rescaleFactor) : v;
      if (o.doNormalize) x = Math.fround(Math.fround(x - mean) / std);
      lut[c * 256 + v] = x;
    }
  }
  return lut;
}

/**
 * Qwen2-VL / Qwen2.5-VL preprocessing of one HWC RGB uint8 image: smart_resize, PIL bicubic
 * resize, rescale, normalize, temporal duplication and block-major patchification.
 */
export function preprocessImage(rgb: Uint8Array, height: number, width: number, options: Partial<ImageProcessorOptions> = {}): PreprocessedImage {
  const o = resolveImageProcessorOptions(options);
  if (!Number.isInteger(height) || !Number.isInteger(width) || height <= 0 || width <= 0) {
    throw new VisionInputError(`preprocessImage: height and width must be positive integers, got ${height}x${width}`);
  }
  if (rgb.length !== height * width * 3) {
    throw new VisionInputError(`preprocessImage: a ${height}x${width} RGB image has ${height * width * 3} bytes (HWC uint8), got ${rgb.length}`);
  }
  const P = o.patchSize, T = o.temporalPatchSize, M = o.mergeSize;
  const factor = P * M;
  let h = height, w = width, pixels = rgb;
  if (o.doResize) {
    ({ height: h, width: w } = smartResize(height, width, { factor, minPixels: o.minPixels, maxPixels: o.maxPixels }));
    // PIL returns an unchanged copy at the same size; reading the input directly is equivalent.
    if (h !== height || w !== width) pixels = resizeBicubicRgb(rgb, height, width, h, w);
  } else if (h % factor !== 0 || w % factor !== 0) {
    throw new VisionInputError(`preprocessImage: with doResize false the image size ${h}x${w} must be a multiple of patchSize·mergeSize = ${factor}; resize it or enable doResize`);
  }
  const gh = h / P, gw = w / P;
  const numPatches = gh * gw;
  const PP = P * P;
  const dim = 3 * T * PP;
  const out = new Float32Array(numPatches * dim);
  const lut = valueTable(o);
  const bw = gw / M;
  const cStride = T * PP;
  // Patch row of grid cell (ph, pw): merge blocks in raster order, the M×M patches inside each
  // block in raster order. Column: c·T·P² + t·P² + py·P + px. Frame t = 0 is written from the
  // pixels, the other T − 1 frames are copies of it (an image is one frame repeated).
  for (let ph = 0; ph < gh; ph++) {
    const bh = (ph / M) | 0, mh = ph - bh * M;
    for (let pw = 0; pw < gw; pw++) {
      const bwi = (pw / M) | 0, mw = pw - bwi * M;
      const rowBase = (((bh * bw + bwi) * M + mh) * M + mw) * dim;
      for (let py = 0; py < P; py++) {
        let src = ((ph * P + py) * w + pw * P) * 3;
        const dst = rowBase + py * P;
        for (let px = 0; px < P; px++, src += 3) {
          out[dst + px] = lut[pixels[src]];
          out[dst + cStride + px] = lut[256 + pixels[src + 1]];
          out[dst + 2 * cStride + px] = lut[512 + pixels[src + 2]];
        }
      }
      for (let c = 0; c < 3; c++) {
        const f0 = rowBase + c * cStride;
        for (let t = 1; t < T; t++) out.copyWithin(f0 + t * PP, f0, f0 + PP);
      }
    }
  }
  return { pixelValues: out, gridThw: [1, gh, gw], numPatches, numImageTokens: numPatches / (M * M), resizedHeight: h, resizedWidth: w };
}

/** Several images (sizes may differ): pixel values concatenated, grids stacked, as the HF processor batches them. */
export function preprocessImages(images: readonly RgbImage[], options: Partial<ImageProcessorOptions> = {}): PreprocessedBatch {
  const o = resolveImageProcessorOptions(options);
  const dim = 3 * o.temporalPatchSize * o.patchSize * o.patchSize;
  const each = images.map((im, i) => {
    try {
      return preprocessImage(im.data, im.height, im.width, o);
    } catch (e) {
      if (e instanceof VisionInputError) throw new VisionInputError(`image ${i}: ${e.message}`);
      throw e;
    }
  });
  const pixelValues = new Float32Array(each.reduce((n, p) => n + p.pixelValues.length, 0));
  let off = 0;
  for (const p of each) {
    pixelValues.set(p.pixelValues, off);
    off += p.pixelValues.length;
  }
  return {
    pixelValues,
    gridThw: each.map((p) => p.gridThw),
    numPatches: each.map((p) => p.numPatches),
    numImageTokens: each.map((p) => p.numImageTokens),
    patchDim: dim,
  };
}
