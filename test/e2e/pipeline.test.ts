// The main job, shortened (`--recipe ci`): it must not only run but learn — SFT loss falls,
// held-out FAST accuracy rises through SFT, GRPO raises the held-out reward — build a VLA on each
// backbone with success rates and intervals, and leave the report, its figures and summary.json behind.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PipelineSummary } from "../../src/report/pipeline-summary.js";
import { hasAddon, repoRoot } from "../helpers/paths.js";

const bin = join(repoRoot, "bin", "roboalign.js");
const built = existsSync(join(repoRoot, "dist", "cli", "main.js"));

describe.skipIf(!built || !hasAddon)(`roboalign pipeline --recipe ci${built && hasAddon ? "" : " — skipped: run `npm run setup` first (dist/ and the addon)"}`, () => {
  it("trains base → SFT → GRPO and shows SFT learning in summary.json and report.md", () => {
    const out = join(mkdtempSync(join(tmpdir(), "ra-pipeline-")), "run");
    const r = spawnSync(process.execPath, [bin, "pipeline", "--recipe", "ci", "--out", out, "--no-progress"], { encoding: "utf8", timeout: 1_800_000 });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as PipelineSummary;
    const h = s.heldout;
    expect(s.sft.lastLoss).toBeLessThan(s.sft.firstLoss * 0.8);
    expect(s.base!.lastLoss).toBeLessThan(s.base!.firstLoss);
    expect(h.prompts).toBeGreaterThanOrEqual(24);
    // Held-out FAST accuracy: teacher-forced FAST-token accuracy (logged through SFT) rises from
    // the base model's, and the generated prefix accuracy does not fall below the untrained model's.
    const tf = readFileSync(join(out, "sft", "metrics.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { heldoutFastTokenAccuracy?: number }).filter((r) => r.heldoutFastTokenAccuracy !== undefined).map((r) => r.heldoutFastTokenAccuracy!);
    expect(tf[tf.length - 1]).toBeGreaterThan(tf[0] + 0.02);
    expect(h.afterSft!.fastAccuracy).toBeGreaterThanOrEqual(h.before.fastAccuracy);
    // GRPO ran on-policy updates with finite statistics and raised the held-out (greedy) reward.
    expect(s.grpo!.steps).toBe(12);
    expect(h.afterRl.reward).toBeGreaterThan(h.afterSft!.reward);
    const grpo = readFileSync(join(out, "grpo", "metrics.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { stage: string; klLoss?: number; gradNorm?: number });
    const steps = grpo.filter((r) => r.stage === "grpo");
    expect(steps).toHaveLength(12);
    expect(steps.every((r) => Number.isFinite(r.klLoss) && Number.isFinite(r.gradNorm))).toBe(true);
    expect(s.stages.map((x) => x.name)).toEqual(["data", "fast", "tokenizer", "eval-untrained", "base", "sft", "grpo", "vla"]);
    // The VLA stage: one head per backbone, evaluated closed-loop on 10 goal tasks × 1 unseen initial
    // state, each rate with its Wilson interval.
    const v = s.vla!;
    expect(v.backbones.map((b) => b.name)).toEqual(["base", "sft", "sft+rl"]);
    expect(v.firstInitialState).toBe(20);
    for (const b of v.backbones) {
      expect(Number.isFinite(b.heldoutLoss) && Number.isFinite(b.heldoutActionMse)).toBe(true);
      const goal = b.rates.find((r) => r.suite === "goal")!;
      expect(goal.trials).toBe(10);
      expect(goal.ciLow).toBeLessThanOrEqual(goal.rate);
      expect(goal.ciHigh).toBeGreaterThanOrEqual(goal.rate);
      expect(goal.ciHigh).toBeGreaterThan(goal.ciLow);
    }
    expect(existsSync(join(out, "vla", "success.png"))).toBe(true);
    const report = readFileSync(join(out, "report.md"), "utf8");
    for (const m of report.matchAll(/\]\(([^)]+\.png)\)/g)) expect(existsSync(join(out, m[1])), m[1]).toBe(true);
    expect(report).toMatch(/sft-loss\.png/);
    expect(report).toMatch(/grpo-reward\.png/);
  }, 1_800_000);
});
