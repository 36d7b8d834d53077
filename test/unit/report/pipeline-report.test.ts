// The pipeline report on a synthetic run: report.md referencing PNGs that exist, optional parts left out,
// and summary validation.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { parsePipelineSummary, PipelineSummaryError, writePipelineReport, type PipelineSummary } from "../../../src/report/index.js";
import { syntheticMetrics, syntheticSummary } from "./fixtures.js";

const root = mkdtempSync(join(tmpdir(), "report-pipeline-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Relative image paths of `![alt](path)` links. */
function imageLinks(md: string): string[] {
  return [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
}

describe("writePipelineReport", () => {
  it("writes report.md whose images all exist at the requested size", async () => {
    const runDir = join(root, "full");
    const metrics = join(root, "full-metrics.jsonl");
    writeFileSync(metrics, syntheticMetrics());
    const result = await writePipelineReport(runDir, syntheticSummary(), [metrics], { size: { width: 480, height: 300 } });
    const md = readFileSync(result.reportPath, "utf8");

    const links = imageLinks(md);
    expect(links).toEqual(["figures/heldout.png", "figures/sft-loss.png", "figures/grpo-reward.png", "figures/grpo-heldout.png", "figures/grpo-response-length.png", "figures/grpo-kl.png"]);
    expect(result.figures.map((f) => f.slice(runDir.length + 1))).toEqual(links);
    for (const link of links) {
      const meta = await sharp(join(runDir, link)).metadata();
      expect([meta.width, meta.height]).toEqual([480, 300]);
      const stats = await sharp(join(runDir, link)).stats();
      expect(Math.max(...stats.channels.map((c) => c.stdev))).toBeGreaterThan(5);
    }

    for (const section of ["## Summary", "## Held-out evaluation", "## Supervised fine-tuning", "## GRPO", "## Wall time", "## Metrics files", "## Notes"]) {
      expect(md).toContain(section);
    }
    expect(md).toContain("| `grpo`    |     23m 25s |    1405 |  76.7% |");
    expect(md).toMatch(/\| change from RL +\| +\+11\.0 pt \|/);
    expect(md).toContain("SFT went from 2.31 to 0.42 over 300 steps");
    expect(md).toContain("Wilson for the format rate, ±1.96 standard errors for the means.");
    // The two damaged lines of the synthetic metrics are reported, not fatal.
    expect(md).toMatch(/\| `[^`]*full-metrics\.jsonl` \| +423 \| +1 \| +2 \|/);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/2 malformed lines skipped/);
  });

  it("leaves out what the run did not produce", async () => {
    const runDir = join(root, "minimal");
    const s: PipelineSummary = { ...syntheticSummary(), stages: [], base: undefined, grpo: undefined, notes: undefined, backbone: undefined, seed: undefined };
    s.heldout = { prompts: 8, before: s.heldout.before, afterRl: { fastAccuracy: 0.1, reward: 0.2, format: 0.5 } };
    const missing = join(root, "no-such-metrics.jsonl");
    const result = await writePipelineReport(runDir, s, [missing], { figuresDir: "plots" });
    const md = readFileSync(result.reportPath, "utf8");

    expect(imageLinks(md)).toEqual(["plots/heldout.png"]);
    expect(existsSync(join(runDir, "plots", "heldout.png"))).toBe(true);
    for (const absent of ["## GRPO", "## Wall time", "## Notes", "after SFT", "base", "backbone", "standard errors for the means."]) {
      expect(md).not.toContain(absent);
    }
    expect(md).toContain("no standard errors for the means");
    expect(md).toMatch(/no-such-metrics\.jsonl` \| +missing \|/);
    expect(result.warnings[0]).toMatch(/does not exist/);
  });

  it("rejects a summary of another shape, naming every bad field", async () => {
    const bad = { ...syntheticSummary(), version: 2, sft: { firstLoss: "2.3", steps: 1.5 } } as unknown as PipelineSummary;
    await expect(writePipelineReport(join(root, "bad"), bad, [])).rejects.toThrow(PipelineSummaryError);
    let error: unknown;
    try {
      parsePipelineSummary(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipelineSummaryError);
    expect((error as PipelineSummaryError).problems).toEqual([
      "summary.version is 2, but this report reads version 1",
      "summary.sft.firstLoss should be a number, got string",
      "summary.sft.lastLoss is missing",
      "summary.sft.steps should be a whole number ≥ 0, got 1.5",
    ]);
    expect(existsSync(join(root, "bad", "report.md"))).toBe(false);
  });

  it("reads null numbers (JSON's NaN) and null optional parts", () => {
    const json = JSON.parse(JSON.stringify({ ...syntheticSummary(), base: null, sft: { firstLoss: Number.NaN, lastLoss: 0.4, steps: 3 } }));
    const s = parsePipelineSummary(json);
    expect(s.sft.firstLoss).toBeNaN();
    expect("base" in s).toBe(false);
    expect(json.sft.firstLoss).toBeNull();
  });
});
