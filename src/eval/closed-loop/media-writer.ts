// Episode media through sharp: an animated GIF of the sampled frames (raw frames stacked as pages with
// `pageHeight`), or a PNG strip of evenly spaced frames side by side.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import sharp from "sharp";
import type { FrameStrip } from "./media-camera.js";

export type MediaFormat = "gif" | "png";

export interface MediaWriteOptions {
  /** GIF: milliseconds per frame; default 200 (frames are every few 50 ms policy steps). */
  delayMs?: number;
  /** PNG strip: at most this many frames, evenly spaced, first and last kept; default 8. */
  stripFrames?: number;
}

function checkStrip(s: FrameStrip): void {
  const bytes = 3 * s.width * s.height;
  if (!s.frames.length) throw new Error("episode media has no frames; record at least one frame before writing");
  const bad = s.frames.findIndex((f) => f.length !== bytes);
  if (bad >= 0) throw new Error(`media frame ${bad} has ${s.frames[bad].length} bytes; ${s.width}×${s.height} RGB needs ${bytes}`);
}

/** Indices of `k` evenly spaced frames out of `n`, always including the first and the last. */
export function evenlySpaced(n: number, k: number): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  if (k <= 1) return [n - 1];
  return Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / (k - 1)));
}

async function gif(s: FrameStrip, o: MediaWriteOptions): Promise<Buffer> {
  const pages = Buffer.concat(s.frames);
  const delay = s.frames.map((_, i) => (i === s.frames.length - 1 ? 1000 : (o.delayMs ?? 200)));
  return sharp(pages, { raw: { width: s.width, height: s.height * s.frames.length, channels: 3, pageHeight: s.height } })
    .gif({ loop: 0, delay, effort: 4 })
    .toBuffer();
}

async function pngStrip(s: FrameStrip, o: MediaWriteOptions): Promise<Buffer> {
  const pick = evenlySpaced(s.frames.length, o.stripFrames ?? 8);
  const gap = 2;
  const W = pick.length * s.width + (pick.length - 1) * gap;
  const out = Buffer.alloc(W * s.height * 3, 255);
  pick.forEach((fi, j) => {
    const f = s.frames[fi];
    const x0 = j * (s.width + gap);
    for (let y = 0; y < s.height; y++) out.set(f.subarray(y * s.width * 3, (y + 1) * s.width * 3), (y * W + x0) * 3);
  });
  return sharp(out, { raw: { width: W, height: s.height, channels: 3 } }).png({ compressionLevel: 9 }).toBuffer();
}

/** Writes the strip to `path` (parent folders created). */
export async function writeEpisodeMedia(s: FrameStrip, path: string, format: MediaFormat, o: MediaWriteOptions = {}): Promise<void> {
  checkStrip(s);
  let buf: Buffer;
  try {
    buf = format === "gif" ? await gif(s, o) : await pngStrip(s, o);
  } catch (e) {
    throw new Error(`could not encode episode media ${path}: ${(e as Error).message.split("\n")[0]}; try --media-format png if this sharp build lacks GIF output`);
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, buf);
}
