// The feature cache: rows read back exactly, survive a reopen under the same identity, and are
// dropped when the backbone identity (weights, layer, norm) differs.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FeatureCache } from "../../../src/vla/feature-cache.js";
import { headBatch } from "../../../src/vla/head-batch.js";
import { vectorStats } from "../../../src/vla/normalizer.js";
import { stepDraws } from "../../../src/vla/trainer.js";

const feats = (tokens: number, dim: number, base: number) => ({ tokens, data: Float32Array.from({ length: tokens * dim }, (_, i) => base + i * 0.5) });

describe("vla feature cache", () => {
  it("stores, reopens and invalidates by identity", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ra-fc-")), "cache");
    const a = new FeatureCache(dir, "backbone-A", 4);
    a.put("ep0@0", feats(3, 4, 1));
    a.put("ep0@2", feats(5, 4, 100));
    expect(a.get("ep0@2").data).toEqual(feats(5, 4, 100).data);
    expect(() => a.put("bad", { tokens: 2, data: new Float32Array(7) })).toThrow(/expected 2 × 4/);
    a.close();

    const again = new FeatureCache(dir, "backbone-A", 4);
    expect(again.size).toBe(2);
    expect(again.get("ep0@0")).toEqual(feats(3, 4, 1));
    expect(again.get("ep0@2").tokens).toBe(5);
    again.put("ep1@0", feats(2, 4, -7));
    expect(again.get("ep0@2").data).toEqual(feats(5, 4, 100).data);
    again.close();

    const other = new FeatureCache(dir, "backbone-B", 4);
    expect(other.size).toBe(0);
    expect(other.has("ep0@0")).toBe(false);
    expect(() => other.get("ep0@0")).toThrow(/not in the feature cache/);
    other.close();
  });
});

describe("vla batches", () => {
  it("draws the same frames for the same (seed, step) and covers the data", () => {
    expect(stepDraws(3, 17, 100, 32)).toEqual(stepDraws(3, 17, 100, 32));
    expect(stepDraws(3, 17, 100, 32)).not.toEqual(stepDraws(3, 18, 100, 32));
    const seen = new Set<number>();
    for (let s = 0; s < 50; s++) for (const i of stepDraws(0, s, 100, 32)) seen.add(i);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(99);
    expect(seen.size).toBeGreaterThan(95);
  });

  it("pads features to the longest row with a key mask and normalises states and chunks", () => {
    const stats = { mode: "min_max" as const, state: vectorStats([0, 0, 2, 4], 2), action: vectorStats([-1, 1], 1), binaryGripper: null };
    const b = headBatch({ features: [feats(2, 3, 0), feats(4, 3, 10)], states: [0, 0, 2, 4], stateDim: 2, chunks: [-1, 1, 1, -1] }, 3, stats);
    expect(b.batch).toBe(2);
    expect(b.vlLen).toBe(4);
    expect(Array.from(b.attentionMask!)).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(b.features.subarray(0, 6))).toEqual(Array.from(feats(2, 3, 0).data));
    expect(Array.from(b.features.subarray(6, 12))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(b.state)).toEqual([-1, -1, 1, 1]);
    expect(Array.from(b.actions!)).toEqual([-1, 1, 1, -1]);
  });
});
