// Report format: Table 2–3 shape (policies × suites + average, "success% ± CI (n)") and the chain table.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chainTable, EVAL_RUN_VERSION, formatRate, rateOf, readEvalRun, renderReport, resolveProtocol, suiteTable, writeReport, type EvalRun } from "../../../src/eval/closed-loop/index.js";

function run(label: string, rates: Record<string, [number, number]>, chain?: number[]): EvalRun {
  const suites = Object.entries(rates).map(([suite, [k, n]]) => ({ suite: suite as "spatial", ...rateOf(k, n), tasks: [{ task: 0, language: "pick up the black block", ...rateOf(k, n), meanSuccessSteps: 48 }] }));
  const pooled = rateOf(
    suites.reduce((a, s) => a + s.successes, 0),
    suites.reduce((a, s) => a + s.trials, 0),
  );
  return {
    version: EVAL_RUN_VERSION,
    label,
    policy: { kind: label },
    suites: suites.map((s) => s.suite),
    trials: 50,
    protocol: resolveProtocol(),
    imageSize: 128,
    workers: 2,
    episodes: pooled.trials,
    seconds: 10,
    episodesPerSecond: pooled.trials / 10,
    summary: {
      suites,
      average: suites.length ? { ...pooled, rate: suites.reduce((a, s) => a + s.rate, 0) / suites.length } : undefined,
      chain: chain ? { chains: 10, inARow: chain.map((k) => rateOf(k, 10)), avgLength: chain.reduce((a, b) => a + b, 0) / 10 } : undefined,
    },
    media: [],
    records: [],
  };
}

describe("formatRate", () => {
  it("prints percent, Wilson half-width and n", () => {
    expect(formatRate(rateOf(45, 50))).toBe("90.0 ± 8.5 (50)");
    expect(formatRate(rateOf(0, 50))).toBe("0.0 ± 3.6 (50)");
    expect(formatRate(rateOf(3, 4), false)).toBe("75.0 ± 32.7");
    expect(formatRate(rateOf(0, 0))).toBe("—");
    expect(formatRate(undefined)).toBe("—");
  });
});

describe("tables", () => {
  const a = run("expert", { spatial: [50, 50], object: [49, 50], goal: [48, 50], long: [45, 50] }, [10, 9, 9, 8, 8]);
  const b = run("noop", { spatial: [0, 50], goal: [0, 50] });

  it("has one row per policy and suite columns plus Average", () => {
    const lines = suiteTable([a, b]).split("\n");
    expect(lines[0]).toMatch(/^\| Policy +\| +Spatial \| +Object \| +Goal \| +Long \| +Average \|$/);
    expect(lines[1]).toMatch(/^\| :-+ \| -+: \| -+: \| -+: \| -+: \| -+: \|$/);
    expect(lines[2]).toContain("| 100.0 ± 3.6 (50) |");
    expect(lines[2]).toContain("96.0 ± ");
    expect(lines[2]).toMatch(/\(200\) \|$/);
    // a suite the policy was not run on is an em dash
    expect(lines[3].split("|").map((c) => c.trim())).toEqual(["", "noop", "0.0 ± 3.6 (50)", "—", "0.0 ± 3.6 (50)", "—", "0.0 ± 1.8 (100)", ""]);
    expect(lines.length).toBe(4);
  });

  it("lists 1–5 in a row and the average length for chain runs only", () => {
    const lines = chainTable([a, b]).split("\n");
    expect(lines[0]).toMatch(/^\| Policy \| +1 \| +2 \| +3 \| +4 \| +5 \| Avg\. Len\. \| Chains \|$/);
    expect(lines.length).toBe(3);
    expect(lines[2]).toMatch(/^\| expert \| 100\.0 ± [\d.]+ \| 90\.0 ± [\d.]+ \|.* \| +4\.40 \| +10 \|$/);
  });

  it("writes results.json, report.md and the chart, and reads the results back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eval-report-"));
    try {
      const files = await writeReport(dir, [b, a]);
      const md = await readFile(files.report, "utf8");
      expect(md).toContain("## Success rate per suite");
      expect(md).toContain("## Chains (CALVIN-style)");
      expect(md).toContain("### Tasks: spatial (expert)");
      expect(md).toContain("![success per suite](success.png)");
      expect(md).toBe(renderReport([b, a]));
      const back = await readEvalRun(files.results);
      expect(back.label).toBe("expert");
      expect(back.summary.suites[0].ci.low).toBeCloseTo(a.summary.suites[0].ci.low, 12);
      expect((await readFile(files.chart!)).subarray(1, 4).toString()).toBe("PNG");
      await expect(readEvalRun(join(dir, "report.md"))).rejects.toThrow(/results.json written by/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
