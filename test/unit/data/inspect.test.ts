import { describe, expect, it, vi } from "vitest";
import yargs from "yargs";
import { dataCommand } from "../../../src/cli/commands/data.js";
import { detectFormat } from "../../../src/data/detect.js";
import { inspectEpisodes, inspectLlava } from "../../../src/data/inspect.js";
import { LlavaReader } from "../../../src/data/llava/reader.js";
import { RldsReader } from "../../../src/data/rlds/reader.js";
import { expected, fixture } from "./helpers.js";

describe("format detection", () => {
  it("detects each fixture's format from its path", () => {
    expect(detectFormat(fixture("rlds"))).toBe("rlds");
    expect(detectFormat(fixture(expected.rlds.file))).toBe("rlds");
    expect(detectFormat(fixture("libero"))).toBe("libero");
    expect(detectFormat(fixture(expected.libero.file))).toBe("libero");
    expect(detectFormat(fixture("llava/vqa.jsonl"))).toBe("llava");
    expect(detectFormat(fixture("nope"))).toBeNull();
  });
});

describe("inspect", () => {
  it("summarizes an RLDS folder: both shards, sums, cameras and all skips", async () => {
    const r = await inspectEpisodes(new RldsReader(fixture("rlds")), true);
    const all = [...expected.rlds_bad.episodes, ...expected.rlds.episodes];
    expect(r.episodes).toBe(4);
    expect(r.steps).toEqual({ total: 12, min: 2, mean: 3, max: 4 });
    expect(r.instructions.distinct).toBe(4);
    expect(r.actions!.dims).toEqual([7]);
    let sum = 0;
    for (const e of all) sum += e.action_sum;
    expect(r.actions!.sum).toBeCloseTo(sum, 10); // per-episode sums regrouped: equal to rounding
    expect(r.images.image_0).toEqual({ shapes: ["8x8x3"], frames: 12 });
    expect(r.images.image_1).toEqual({ shapes: ["8x8x3"], frames: 9 });
    expect(r.skipped.map((s) => s.reason.split(" ")[0])).toEqual(["non-finite", "data", "truncated"]);
  });

  it("summarizes LLaVA records", async () => {
    const r = await inspectLlava(new LlavaReader(fixture("llava/vqa.json")));
    expect(r).toMatchObject({ records: 3, imageParts: 3, messages: 8 });
    expect(r.skipped).toHaveLength(1);
  });

  it("runs as `data inspect PATH --json` through yargs", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await yargs().command(dataCommand).strict().parseAsync(["data", "inspect", fixture(expected.libero.file), "--json"]);
      const report = JSON.parse(String(write.mock.calls.map((c) => c[0]).join("")));
      expect(report.format).toBe("libero");
      expect(report.episodes).toBe(2);
      expect(report.states.dims).toEqual([15]);
      expect(report.images.agentview_rgb.shapes).toEqual(["8x8x3"]);
      expect(report.skipped[0]).toMatchObject({ index: "demo_1" });
    } finally {
      write.mockRestore();
    }
  });
});
