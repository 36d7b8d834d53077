// metrics.jsonl reading: damaged lines are counted, not fatal; series selection by stage and key.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeMalformed, parseMetricsLog, readMetricsLog, selectSeries, stagesIn } from "../../../src/report/metrics-log.js";
import { syntheticMetrics } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "report-metrics-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseMetricsLog", () => {
  it("counts blank and malformed lines and keeps the rest", () => {
    const text = [
      '{"stage":"sft","step":1,"loss":2.3}',
      "",
      "   ",
      '{"stage":"sft","step":2,"loss":2.1',
      "[1,2]",
      "42",
      "null",
      '{"stage":"sft","step":3,"loss":1.9}',
    ].join("\n");
    const log = parseMetricsLog(text, "m.jsonl");
    expect(log.records).toHaveLength(2);
    expect(log.lines).toBe(8);
    expect(log.blank).toBe(2);
    expect(log.malformed.map((m) => m.line)).toEqual([4, 5, 6, 7]);
    expect(log.malformed[1].reason).toMatch(/array, not an object/);
    expect(describeMalformed(log)).toMatch(/m\.jsonl: 4 malformed lines skipped \(line 4: not valid JSON.*; 1 more\)/);
  });
  it("treats a trailing newline as the end of the file and accepts CRLF", () => {
    const log = parseMetricsLog('{"a":1}\r\n{"a":2}\r\n');
    expect(log).toMatchObject({ lines: 2, blank: 0, malformed: [] });
    expect(describeMalformed(log)).toBeUndefined();
  });
  it("reads Python's bare NaN/Infinity as missing values without touching strings", () => {
    const log = parseMetricsLog('{"stage":"sft","step":1,"loss":NaN,"note":"NaN, as text","kl":-Infinity}');
    expect(log.malformed).toEqual([]);
    expect(log.records[0]).toEqual({ stage: "sft", step: 1, loss: null, note: "NaN, as text", kl: null });
  });
});

describe("readMetricsLog", () => {
  it("reads a file and explains a missing one", async () => {
    const path = join(dir, "metrics.jsonl");
    writeFileSync(path, syntheticMetrics());
    const log = await readMetricsLog(path);
    expect(log.malformed).toHaveLength(2);
    expect(log.blank).toBe(1);
    expect(stagesIn(log.records)).toEqual(["base", "sft", "grpo-eval", "grpo"]);
    await expect(readMetricsLog(join(dir, "nope.jsonl"))).rejects.toThrow(/does not exist; check the run directory/);
  });
});

describe("selectSeries", () => {
  const records = parseMetricsLog(
    [
      '{"stage":"sft","step":1,"loss":3}',
      '{"stage":"grpo","step":1,"rewardMean":0.1}',
      '{"stage":"sft","step":2,"loss":null}',
      '{"stage":"sft","step":3,"loss":2}',
      '{"stage":"sft","step":2,"loss":2.5}',
      '{"stage":"sft","step":4,"lr":1e-5}',
      '{"stage":"eval","when":"before-rl","heldoutReward":0.3}',
      '{"stage":"eval","when":"after-rl","heldoutReward":0.5}',
    ].join("\n"),
  ).records;
  it("picks one stage's key, sorted by step, the last record winning for a repeated step", () => {
    expect(selectSeries(records, { stage: "sft", key: "loss" })).toEqual({ x: [1, 2, 3], y: [3, 2.5, 2] });
    expect(selectSeries(records, { stage: ["sft", "grpo"], key: "rewardMean" })).toEqual({ x: [1], y: [0.1] });
  });
  it("gives NaN for null values and positions when there is no step", () => {
    const s = selectSeries(records.slice(0, 3), { stage: "sft", key: "loss" });
    expect(s.y[1]).toBeNaN();
    expect(selectSeries(records, { stage: "eval", key: "heldoutReward" })).toEqual({ x: [0, 1], y: [0.3, 0.5] });
    expect(selectSeries(records, { key: "heldoutReward", where: (r) => r.when === "after-rl" }).y).toEqual([0.5]);
  });
});
