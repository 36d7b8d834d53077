// loadImageRgb against what transformers' load_image returns with PIL (exif_transpose, then
// convert("RGB")): fixtures/pil_decode_cases.json, made by fixtures/make_pil_decode_cases.py.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";

import { loadImageRgb, VisionInputError } from "../../../src/vision/index.js";

const here = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const doc = JSON.parse(readFileSync(path.join(here, "pil_decode_cases.json"), "utf8")) as {
  pillow: string;
  cases: { file: string; pil_mode: string; height: number; width: number; rgb: string }[];
};
const tmp = mkdtempSync(path.join(os.tmpdir(), "vision-load-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe(`loadImageRgb vs PIL ${doc.pillow} exif_transpose + convert("RGB")`, () => {
  for (const c of doc.cases) {
    it(`${c.file} (PIL mode ${c.pil_mode}) → ${c.height}x${c.width} RGB, identical bytes`, async () => {
      const file = path.join(here, "decode", c.file);
      const ref = Buffer.from(c.rgb, "base64");
      for (const input of [file, readFileSync(file)]) {
        const img = await loadImageRgb(input);
        expect([img.height, img.width]).toEqual([c.height, c.width]);
        expect(img.data).toBeInstanceOf(Uint8Array);
        const bad = img.data.findIndex((v, i) => v !== ref[i]);
        expect(img.data.length).toBe(ref.length);
        expect(bad === -1 ? null : `byte ${bad}: ${img.data[bad]} vs ${ref[bad]}`).toBeNull();
      }
    });
  }
});

describe("loadImageRgb on images made here", () => {
  const w = 5, h = 3;
  const rgba = Buffer.from(Array.from({ length: w * h * 4 }, (_, i) => (i * 53 + 7) % 256));

  it("drops alpha without compositing (RGBA PNG)", async () => {
    const png = await sharp(rgba, { raw: { width: w, height: h, channels: 4 } }).png().toBuffer();
    const img = await loadImageRgb(png);
    expect([img.height, img.width, img.data.length]).toEqual([h, w, h * w * 3]);
    const expected = Array.from({ length: h * w * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]);
    expect(Array.from(img.data)).toEqual(expected);
  });

  it("replicates grayscale into three equal channels", async () => {
    const gray = Buffer.from(Array.from({ length: w * h }, (_, i) => i * 17));
    const png = await sharp(gray, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
    const img = await loadImageRgb(png);
    expect(Array.from(img.data)).toEqual(Array.from(gray).flatMap((v) => [v, v, v]));
  });

  it("decodes a JPEG to the right shape and close to its source", async () => {
    const flat = Buffer.alloc(16 * 24 * 3);
    for (let i = 0; i < flat.length; i += 3) flat.set([200, 100, 50], i);
    const jpg = await sharp(flat, { raw: { width: 24, height: 16, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    const file = path.join(tmp, "flat.jpg");
    writeFileSync(file, jpg);
    const img = await loadImageRgb(file);
    expect([img.height, img.width, img.data.length]).toEqual([16, 24, 16 * 24 * 3]);
    for (let i = 0; i < img.data.length; i++) expect(Math.abs(img.data[i] - flat[i])).toBeLessThanOrEqual(3);
  });

  it("applies EXIF orientation 6 (rotate 90° clockwise) like exif_transpose", async () => {
    const src = Buffer.alloc(h * w * 3);
    src.set([255, 255, 255], 0); // top-left pixel white, the rest black
    const png = await sharp(src, { raw: { width: w, height: h, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer();
    const img = await loadImageRgb(png);
    expect([img.height, img.width]).toEqual([w, h]);
    // After a clockwise quarter turn the old top-left corner is the top-right one.
    expect(Array.from(img.data.subarray((h - 1) * 3, h * 3))).toEqual([255, 255, 255]);
    expect(Array.from(img.data.subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it("reads headerless .rgb data given its size", async () => {
    const file = path.join(tmp, "x.rgb");
    writeFileSync(file, Buffer.from([1, 2, 3, 4, 5, 6]));
    const img = await loadImageRgb(file, { height: 1, width: 2 });
    expect([img.height, img.width, Array.from(img.data)]).toEqual([1, 2, [1, 2, 3, 4, 5, 6]]);
    const fromBuffer = await loadImageRgb(new Uint8Array([9, 8, 7]), { height: 1, width: 1 });
    expect(Array.from(fromBuffer.data)).toEqual([9, 8, 7]);
  });
});

describe("loadImageRgb errors", () => {
  it("names a missing file", async () => {
    const missing = path.join(tmp, "nope.png");
    await expect(loadImageRgb(missing)).rejects.toThrow(VisionInputError);
    await expect(loadImageRgb(missing)).rejects.toThrow(`cannot decode image ${missing}: file not found`);
  });

  it("names an undecodable file", async () => {
    const junk = path.join(tmp, "junk.png");
    writeFileSync(junk, "this is not an image");
    await expect(loadImageRgb(junk)).rejects.toThrow(new RegExp(`^cannot decode image ${junk.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
    await expect(loadImageRgb(Buffer.from("junk"))).rejects.toThrow(/cannot decode image <buffer of 4 bytes>: /);
  });

  it("names a truncated PNG", async () => {
    const png = await sharp(Buffer.alloc(64 * 64 * 3, 90), { raw: { width: 64, height: 64, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    await expect(loadImageRgb(png.subarray(0, png.length >> 1))).rejects.toThrow(/cannot decode image/);
  });

  it("rejects empty input, a directory, and .rgb without a size or with a wrong one", async () => {
    await expect(loadImageRgb(new Uint8Array(0))).rejects.toThrow(/the file is empty/);
    await expect(loadImageRgb(tmp)).rejects.toThrow(/is a directory/);
    const file = path.join(tmp, "y.rgb");
    writeFileSync(file, Buffer.alloc(7));
    await expect(loadImageRgb(file)).rejects.toThrow(/pass its size as loadImageRgb\(path, \{ height, width \}\)/);
    await expect(loadImageRgb(file, { height: 1, width: 2 })).rejects.toThrow(/1x2 HWC RGB uint8 image has 6 bytes, got 7/);
  });
});
