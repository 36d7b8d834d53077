// ref: transformers v5.18.0 models/qwen2_vl/image_processing_qwen2_vl.py `smart_resize`
// (reference/qwen2_5_vl.md §1.2).
import { VisionInputError } from "./errors.js";

export interface SmartResizeOptions {
  /** Both output sides are multiples of this (patch_size · merge_size). */
  factor?: number;
  minPixels?: number;
  maxPixels?: number;
}

/** Hub values of Qwen2.5-VL's preprocessor_config.json (the code default max is 1003520). */
export const DEFAULT_MIN_PIXELS = 56 * 56;
export const DEFAULT_MAX_PIXELS = 28 * 28 * 16384;
export const MAX_ASPECT_RATIO = 200;

/** Python's `round` on a float: ties go to the even neighbour (2.5 → 2, 3.5 → 4). */
export function roundHalfToEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f; // exact for doubles
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * The size (multiples of `factor`) that Qwen2-VL/Qwen2.5-VL resize an image to: the nearest
 * multiples, then scaled down to at most `maxPixels` or up to at least `minPixels` keeping the
 * aspect ratio. Same double-precision operations as the Python, so the result is identical.
 */
export function smartResize(height: number, width: number, options: SmartResizeOptions = {}): { height: number; width: number } {
  const factor = options.factor ?? 28;
  const minPixels = options.minPixels ?? DEFAULT_MIN_PIXELS;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  for (const [name, v] of [["height", height], ["width", width], ["factor", factor]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new VisionInputError(`smartResize: ${name} must be a positive integer, got ${v}`);
  }
  if (!(minPixels > 0) || !(maxPixels >= minPixels)) {
    throw new VisionInputError(`smartResize: need 0 < minPixels <= maxPixels, got minPixels ${minPixels}, maxPixels ${maxPixels}`);
  }
  const ratio = Math.max(height, width) / Math.min(height, width);
  if (ratio > MAX_ASPECT_RATIO) {
    throw new VisionInputError(
      `absolute aspect ratio must be smaller than ${MAX_ASPECT_RATIO}, got ${ratio} for a ${height}x${width} image; crop or pad it first`,
    );
  }
  let h = roundHalfToEven(height / factor) * factor;
  let w = roundHalfToEven(width / factor) * factor;
  if (h * w > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    h = Math.max(factor, Math.floor(height / beta / factor) * factor);
    w = Math.max(factor, Math.floor(width / beta / factor) * factor);
  } else if (h * w < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    h = Math.ceil((height * beta) / factor) * factor;
    w = Math.ceil((width * beta) / factor) * factor;
  }
  return { height: h, width: w };
}
