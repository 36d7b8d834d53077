// Image decoding for the readers through sharp (libvips): PNG/JPEG bytes → RGB H×W×3 uint8,
// and RGB → PNG for the LeRobot writer. Undecodable bytes are a skip, never a throw.
import sharp from "sharp";
import type { Frame } from "./episode.js";

/** Decodes PNG/JPEG/WebP bytes to RGB; returns an error string instead of throwing. */
export async function decodeImage(bytes: Uint8Array): Promise<Frame | string> {
  if (bytes.length === 0) return "empty image bytes";
  try {
    const { data, info } = await sharp(bytes).removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
    return { height: info.height, width: info.width, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (e) {
    return `undecodable image (${(e as Error).message.split("\n")[0]})`;
  }
}

/** Reads width/height from the image header without decoding pixels; null if unreadable. */
export async function imageSize(bytes: Uint8Array): Promise<{ height: number; width: number } | null> {
  try {
    const m = await sharp(bytes).metadata();
    return m.height && m.width ? { height: m.height, width: m.width } : null;
  } catch {
    return null;
  }
}

/** Encodes an RGB (or grey/RGBA) frame as PNG. */
export async function encodePng(f: Frame): Promise<Uint8Array> {
  const buf = await sharp(f.data, { raw: { width: f.width, height: f.height, channels: f.channels as 1 | 2 | 3 | 4 } }).png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}
