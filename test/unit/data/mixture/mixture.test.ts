// Mixture configs, the paper's recipe, the deterministic and resumable draw order, and packing.
import { describe, expect, it } from "vitest";
import { MixtureConfigError, MixtureSchedule, mixtureRecipe, packByTokenBudget, parseMixtureConfig, sampleCounts } from "../../../../src/data/mixture/index.js";

describe("mixture configs", () => {
  it("the paper-a3 recipe adds up to Appendix A.3: 1.88M MLLM samples + 400K FAST = 2.28M", () => {
    const c = parseMixtureConfig(mixtureRecipe("paper-a3"));
    const counts = sampleCounts(c);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const fast = c.sources.filter((s) => s.kind === "fast-action").reduce((a, s) => a + counts.get(s.name)!, 0);
    expect(total - fast).toBe(1_876_000);
    expect(fast).toBe(400_000);
    expect(c.sources.map((s) => s.name)).toContain("llava-onevision-single");
  });

  it("turns weights into shares of totalSamples", () => {
    const c = parseMixtureConfig({ name: "w", totalSamples: 1000, sources: [
      { name: "a", kind: "general-vqa", format: "llava", path: "a", weight: 3 },
      { name: "b", kind: "fast-action", format: "embedded", weight: 1 },
      { name: "c", kind: "reasoning", format: "embedded", samples: 200 },
    ] });
    expect(Object.fromEntries(sampleCounts(c))).toEqual({ a: 600, b: 200, c: 200 });
  });

  it.each([
    [{ name: "x", sources: [] }, /non-empty list/],
    [{ name: "x", sources: [{ name: "a", kind: "general-vqa", format: "llava", path: "p" }] }, /exactly one of "samples" or "weight"/],
    [{ name: "x", sources: [{ name: "a", kind: "vqa", format: "llava", path: "p", samples: 1 }] }, /"kind" must be one of/],
    [{ name: "x", sources: [{ name: "a", kind: "general-vqa", format: "llava", samples: 1 }] }, /"path" is required/],
    [{ name: "x", sauces: [] }, /unknown field "sauces"/],
    [{ name: "x", sources: [{ name: "a", kind: "general-vqa", format: "embedded", weight: 1 }] }, /totalSamples/],
  ])("rejects bad configs with the field named (%#)", (raw, message) => {
    expect(() => parseMixtureConfig(raw)).toThrowError(message);
    expect(() => parseMixtureConfig(raw)).toThrowError(MixtureConfigError);
  });
});

describe("MixtureSchedule", () => {
  it("draws every source exactly its count per epoch, each in its own order", () => {
    const s = new MixtureSchedule([5, 3, 2], 1);
    const draws = [...s.draws({ epoch: 0, step: 0 }, 10)];
    const perSource = [0, 1, 2].map((src) => draws.filter((d) => d.source === src).map((d) => d.index));
    expect(perSource).toEqual([[0, 1, 2, 3, 4], [0, 1, 2], [0, 1]]);
    // Interleaved, not blocked by source.
    expect(draws.map((d) => d.source).join("")).not.toBe("0000011122");
  });

  it("is deterministic per seed, differs across seeds and epochs, and resumes exactly", () => {
    const a = [...new MixtureSchedule([40, 30, 30], 7).draws({ epoch: 0, step: 0 }, 250)];
    const b = [...new MixtureSchedule([40, 30, 30], 7).draws({ epoch: 0, step: 0 }, 250)];
    const c = [...new MixtureSchedule([40, 30, 30], 8).draws({ epoch: 0, step: 0 }, 100)];
    expect(b).toEqual(a);
    expect(c.map((d) => d.source)).not.toEqual(a.slice(0, 100).map((d) => d.source));
    expect(a.slice(100, 200).map((d) => d.source)).not.toEqual(a.slice(0, 100).map((d) => d.source));
    const resumed = [...new MixtureSchedule([40, 30, 30], 7).draws({ epoch: 1, step: 37 }, 113)];
    expect(resumed).toEqual(a.slice(137));
  });
});

describe("packByTokenBudget", () => {
  it("keeps rows × longest row within the budget, in order, and reports oversize samples", () => {
    const lengths = [100, 120, 80, 300, 50, 50, 50, 50, 900, 10];
    const { batches, skipped } = packByTokenBudget(lengths, 400);
    expect(skipped).toEqual([{ index: 8, length: 900 }]);
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 9]);
    for (const b of batches) expect(b.length * Math.max(...b.map((i) => lengths[i]))).toBeLessThanOrEqual(400);
    expect(batches[0]).toEqual([0, 1, 2]);
  });
});
