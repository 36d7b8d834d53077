// LeRobot video features (mp4, usually AV1/H.264) decoded by the `ffmpeg` CLI to raw rgb24, in
// stream order: with LeRobot's constant-fps encoding, decoded frame i is frame_index i.
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

let cached: string | null | undefined;

/** The ffmpeg executable: `$ROBOALIGN_FFMPEG` when set (e.g. the binary the imageio-ffmpeg wheel ships), else the one on PATH, else null. */
export function findFfmpeg(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  const given = process.env.ROBOALIGN_FFMPEG;
  if (given) {
    try {
      accessSync(given, constants.X_OK);
      return (cached = given);
    } catch {
      throw new Error(`ROBOALIGN_FFMPEG=${given} is not an executable file; point it at an ffmpeg binary or unset it to use the one on PATH`);
    }
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const p = join(dir, process.platform === "win32" ? "ffmpeg.exe" : "ffmpeg");
    try {
      accessSync(p, constants.X_OK);
      cached = p;
      break;
    } catch {
      // not here
    }
  }
  return cached;
}

/** Decodes every frame of `file` (H×W known from info.json) to RGB; rejects with ffmpeg's stderr. */
export function decodeVideo(ffmpeg: string, file: string, height: number, width: number): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    execFile(ffmpeg, ["-v", "error", "-i", file, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], { encoding: "buffer", maxBuffer: 2 ** 31 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`ffmpeg could not decode ${file}: ${stderr.toString().trim() || err.message}`));
      const size = height * width * 3;
      const frames: Uint8Array[] = [];
      for (let o = 0; o + size <= stdout.length; o += size) frames.push(new Uint8Array(stdout.buffer, stdout.byteOffset + o, size));
      resolve(frames);
    });
  });
}
