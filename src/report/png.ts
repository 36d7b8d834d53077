// SVG → PNG rasterisation through sharp (libvips + librsvg), written to a file.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import sharp from "sharp";
import { checkSize, type ChartSize } from "./svg.js";

/**
 * Rasterises an SVG drawn at `size` and writes it as PNG, creating the parent folder. The SVG's own
 * width/height equal `size`, so librsvg renders 1:1 at its default 72 dpi; the resize only guards
 * against an SVG drawn at another size.
 */
export async function writeSvgPng(svg: string, path: string, size: ChartSize): Promise<void> {
  checkSize(size);
  let png: Buffer;
  try {
    png = await sharp(Buffer.from(svg), { density: 72 })
      .resize(size.width, size.height, { fit: "fill" })
      .flatten({ background: "#ffffff" })
      .png({ compressionLevel: 9 })
      .toBuffer();
  } catch (e) {
    throw new Error(
      `could not rasterise the chart for ${path}: ${(e as Error).message.split("\n")[0]}. ` +
        `The SVG is malformed, or this sharp build lacks SVG input (check sharp.format.svg.input.buffer).`,
    );
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, png);
}
