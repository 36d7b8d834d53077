import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crc32c, maskedCrc32c } from "../../../src/data/rlds/crc32c.js";
import { RldsReader } from "../../../src/data/rlds/reader.js";
import { readTfRecords } from "../../../src/data/rlds/tfrecord.js";
import { SkipLog } from "../../../src/data/skip.js";
import { collect, expected, fixture, seqSum } from "./helpers.js";

describe("crc32c", () => {
  it("matches the RFC 3720 check value and TFRecord masking", () => {
    expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
    // masked crc of an 8-byte zero length, as tf.io.TFRecordWriter writes for an empty record
    const zeros = new Uint8Array(8);
    const c = crc32c(zeros);
    expect(maskedCrc32c(zeros)).toBe(((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });
});

describe("RLDS TFRecord reader (tensorflow-written fixture)", () => {
  const e = expected.rlds;

  it("reads the two BridgeV2-style episodes with exact float64 sums", async () => {
    const r = new RldsReader(fixture(e.file));
    const eps = await collect(r.episodes());
    expect(eps.map((x) => x.steps)).toEqual(e.episodes.map((x: { steps: number }) => x.steps));
    eps.forEach((ep, i) => {
      const want = e.episodes[i];
      expect(ep.instruction).toBe(want.instruction);
      expect(ep.actionDim).toBe(7);
      expect(ep.stateDim).toBe(7);
      expect(seqSum(ep.actions)).toBe(want.action_sum);
      expect(seqSum(ep.states!)).toBe(want.state_sum);
      expect(Array.from(ep.actions.subarray(0, 7))).toEqual(want.first_action);
      expect(ep.success).toBe(true);
      expect(Object.keys(ep.images).sort()).toEqual(["image_0", "image_1"]);
      expect(ep.images.image_0).toMatchObject({ count: want.steps, height: 8, width: 8 });
    });
    const frames = await collect(eps[1].images.image_1.frames());
    expect(frames).toHaveLength(4);
    expect(frames[3]).toMatchObject({ height: 8, width: 8, channels: 3 });
    expect(frames[3]!.data.length).toBe(8 * 8 * 3);
  });

  it("skips the bad-CRC record and reports the truncated tail", async () => {
    const r = new RldsReader(fixture(e.file));
    await collect(r.episodes());
    expect(r.skips.count).toBe(2);
    e.skips.forEach((s: { index: number; reason_contains: string }, i: number) => {
      expect(r.skips.items[i].index).toBe(s.index);
      expect(r.skips.items[i].reason).toContain(s.reason_contains);
      expect(r.skips.items[i].path).toBe(fixture(e.file));
    });
  });

  it("skips NaN actions and reads SequenceExample episodes", async () => {
    const b = expected.rlds_bad;
    const r = new RldsReader(fixture(b.file));
    const eps = await collect(r.episodes());
    expect(eps.map((x) => [x.steps, x.instruction, seqSum(x.actions)])).toEqual(b.episodes.map((x: { steps: number; instruction: string; action_sum: number }) => [x.steps, x.instruction, x.action_sum]));
    expect(seqSum(eps[0].states!)).toBe(b.episodes[0].state_sum);
    expect(eps[1].states).toBeUndefined();
    expect(r.skips.items).toHaveLength(1);
    expect(r.skips.items[0]).toMatchObject({ index: 0 });
    expect(r.skips.items[0].reason).toContain("non-finite");
  });

  it("reports an undecodable image as a skipped frame, not an error", async () => {
    // Replace the first JPEG's bytes (the SOI marker onwards) in a copy: the CRC must be redone,
    // so rebuild the record framing around a patched payload.
    const recs = await collect(readTfRecords(fixture(e.file), new SkipLog()));
    const data = Uint8Array.from(recs[0].data);
    const soi = data.findIndex((v, i) => v === 0xff && data[i + 1] === 0xd8 && data[i + 2] === 0xff);
    data.fill(0x42, soi, soi + 40);
    const dir = mkdtempSync(join(tmpdir(), "rlds-"));
    const file = join(dir, "patched.tfrecord");
    writeFileSync(file, frame(data));
    const r = new RldsReader(file);
    const [ep] = await collect(r.episodes());
    const frames = await Promise.all(Object.values(ep.images).map((c) => c.frame(0)));
    expect(frames.filter((f) => f === null)).toHaveLength(1);
    expect(r.skips.count).toBe(1);
    expect(r.skips.items[0].reason).toContain("undecodable image");
    expect(readFileSync(file).length).toBe(data.length + 16);
  });
});

function frame(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, BigInt(data.length), true);
  v.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  v.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}
