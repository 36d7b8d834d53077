// The probe's report folder (src/eval/knn/report.ts): results.json, report.md shaped like Table 9,
// and the bar chart.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { KnnProbeResult } from "../../../../src/eval/knn/probe.js";
import { writeKnnReport } from "../../../../src/eval/knn/report.js";

const result: KnnProbeResult = {
  classes: 32,
  k: 5,
  stride: 1,
  trajectories: 20,
  trajectoryIds: Array.from({ length: 20 }, (_, i) => `demo_${i}`),
  timesteps: 5120,
  skipped: 0,
  chance: 0.0359,
  reference: "demo_7",
  sources: [
    { label: "base", accuracy: 0.612, correct: 3133, total: 5120 },
    { label: "SFT", accuracy: 0.684, correct: 3502, total: 5120 },
    { label: "SFT+RL", accuracy: 0.701, correct: 3589, total: 5120 },
  ],
};

describe("writeKnnReport", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("writes results.json, report.md with the Table 9 rows, and a PNG chart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "knn-report-"));
    dirs.push(dir);
    const files = await writeKnnReport(join(dir, "out"), result, { data: "data/libero_10", instruction: "put both moka pots on the stove" });
    const md = await readFile(files.report, "utf8");
    expect(md).toContain("| Backbone | k-NN accuracy (%) |");
    for (const [label, pct] of [["base", "61.2"], ["SFT", "68.4"], ["SFT+RL", "70.1"]]) expect(md).toMatch(new RegExp(`\\| ${label.replace("+", "\\+")} +\\| +${pct} \\|`));
    expect(md).toContain("5120 timesteps from 20 trajectories");
    expect(md).toContain("chance level (most common class): 3.6%");
    expect(md).toContain("leave-one-trajectory-out");
    const json = JSON.parse(await readFile(files.results, "utf8"));
    expect(json.sources).toHaveLength(3);
    expect(json.reference).toBe("demo_7");
    expect(json.instruction).toBe("put both moka pots on the stove");
    const png = await readFile(files.chart);
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
  });
});
