import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lrSchedule, type ScheduleName } from "../../../src/train/lr-schedule.js";
import { repoRoot } from "../../helpers/paths.js";

interface Case {
  schedule: ScheduleName;
  total: number;
  warmupRatio: number;
  warmupSteps: number;
  baseLr: number;
  lrs: number[];
}

const golden = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "train", "lr_schedules.json"), "utf8")) as { cases: Case[] };

describe("learning-rate schedules match transformers (scripts/fixtures/make_lr_schedule_golden.py)", () => {
  for (const c of golden.cases) {
    it(`${c.schedule}, ${c.total} steps, warmup ratio ${c.warmupRatio}`, () => {
      const s = lrSchedule(c.schedule, c.baseLr, c.total, c.warmupRatio);
      expect(s.warmupSteps).toBe(c.warmupSteps);
      c.lrs.forEach((lr, k) => expect(s.lrAt(k)).toBeCloseTo(lr, 15));
    });
  }

  it("rejects an empty schedule", () => {
    expect(() => lrSchedule("cosine", 1e-3, 0, 0)).toThrow(/at least one step/);
  });
});
