// ref: transformers v5.18.0 image_utils.py `load_image` (PIL.ImageOps.exif_transpose, then
// `convert("RGB")`, which drops alpha without compositing and ignores ICC profiles), Pillow 12.3.0
// libImaging/Convert.c (cmyk2rgb, I16_RGB); decoding by sharp.
import { existsSync, readFileSync, statSync } from "node:fs";

import sharp from "sharp";

import { VisionInputError } from "./errors.js";
import type { RgbImage } from "./image-processor.js";

/** Size of a headerless HWC RGB uint8 buffer (`.rgb` files carry no header). */
export interface RawRgbSize {
  height: number;
  width: number;
}

function describe(input: string | Uint8Array): string {
  return typeof input === "string" ? input : `<buffer of ${input.length} bytes>`;
}

/** Wrap headerless HWC RGB bytes after checking their length. */
export function rawRgbImage(bytes: Uint8Array, size: RawRgbSize, what = "raw RGB buffer"): RgbImage {
  const { height, width } = size;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height <= 0 || width <= 0) {
    throw new VisionInputError(`${what}: height and width must be positive integers, got ${height}x${width}`);
  }
  if (bytes.length !== height * width * 3) {
    throw new VisionInputError(`${what}: a ${height}x${width} HWC RGB uint8 image has ${height * width * 3} bytes, got ${bytes.length}; check the height and width`);
  }
  return { data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), height, width };
}

/**
 * Decode an image file or encoded buffer (PNG, JPEG, WebP, GIF, TIFF, …) to HWC RGB uint8 the way
 * transformers' `load_image` does with PIL: EXIF orientation applied, grayscale replicated to three
 * channels, alpha dropped (not composited), embedded ICC profile not applied. With `raw`, the
 * input (or a `.rgb` file) is headerless HWC RGB bytes of that size.
 */
export async function loadImageRgb(input: string | Uint8Array, raw?: RawRgbSize): Promise<RgbImage> {
  const name = describe(input);
  let bytes: Uint8Array;
  if (typeof input === "string") {
    if (!existsSync(input)) throw new VisionInputError(`cannot decode image ${name}: file not found`);
    if (statSync(input).isDirectory()) throw new VisionInputError(`cannot decode image ${name}: it is a directory, not an image file`);
    bytes = readFileSync(input);
    if (raw === undefined && input.toLowerCase().endsWith(".rgb")) {
      throw new VisionInputError(`cannot decode image ${name}: a .rgb file is headerless HWC RGB; pass its size as loadImageRgb(path, { height, width })`);
    }
  } else {
    bytes = input;
  }
  if (raw !== undefined) return rawRgbImage(bytes, raw, name);
  if (bytes.length === 0) throw new VisionInputError(`cannot decode image ${name}: the file is empty`);
  try {
    return await decodeLikePil(bytes);
  } catch (e) {
    throw new VisionInputError(`cannot decode image ${name}: ${(e as Error).message}; is it a PNG/JPEG/WebP/GIF/TIFF image?`);
  }
}

/** Pillow's cmyk2rgb: naive `(255 − c)(255 − k)/255` with its MULDIV255 rounding, no colour management. */
function cmykToRgbLikePil(cmyk: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const nk = 255 - cmyk[i * 4 + 3];
    for (let c = 0; c < 3; c++) {
      const tmp = cmyk[i * 4 + c] * nk + 128;
      out[i * 3 + c] = nk - (((tmp >> 8) + tmp) >> 8);
    }
  }
  return out;
}

async function decodeLikePil(bytes: Uint8Array): Promise<RgbImage> {
  // ignoreIcc: PIL's convert("RGB") keeps the stored values, so no colour-managed transform.
  // failOn "error": tolerate decoder warnings that PIL tolerates too. pages 1: PIL's first frame.
  const open = () => sharp(bytes, { ignoreIcc: true, failOn: "error", pages: 1 }).autoOrient();
  const meta = await sharp(bytes, { failOn: "error", pages: 1 }).metadata();
  let rgb: Uint8Array;
  let height: number, width: number;
  if (meta.space === "cmyk") {
    // PIL converts CMYK arithmetically; sharp would apply a CMYK ICC profile. Take the stored CMYK.
    const { data, info } = await open().pipelineColourspace("cmyk").toColourspace("cmyk").raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`expected 4 CMYK channels, got ${info.channels}`);
    ({ height, width } = info);
    rgb = cmykToRgbLikePil(data, height * width);
  } else if (meta.depth === "ushort" && meta.channels === 1) {
    // PIL opens 16-bit grayscale as I;16 and its RGB conversion clamps to 255 (no scaling).
    const { data, info } = await open().toColourspace("grey16").raw({ depth: "ushort" }).toBuffer({ resolveWithObject: true });
    ({ height, width } = info);
    const v16 = new Uint16Array(data.buffer, data.byteOffset, height * width);
    rgb = new Uint8Array(height * width * 3);
    for (let i = 0; i < v16.length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = v16[i] > 255 ? 255 : v16[i];
  } else {
    const { data, info } = await open().removeAlpha().toColourspace("srgb").raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoder produced ${info.channels} channels instead of 3`);
    ({ height, width } = info);
    rgb = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  return { data: rgb, height, width };
}
