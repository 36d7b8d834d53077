// Markdown tables, image links and number formatting.
import { describe, expect, it } from "vitest";
import { escapeCell, imageLink, inlineCode, markdownTable } from "../../../src/report/markdown.js";
import { formatDelta, formatDuration, formatNumber, formatPercent } from "../../../src/report/number-format.js";

describe("markdownTable", () => {
  it("aligns number columns right, text left, and pads the source", () => {
    const t = markdownTable(["Stage", "Loss", { header: "Note", align: "center" }], [
      ["sft", 2.31456, "ok"],
      ["base", 0.000019, null],
    ]);
    expect(t.split("\n")).toEqual([
      "| Stage |   Loss | Note |",
      "| :---- | -----: | :--: |",
      "| sft   |   2.31 | ok   |",
      "| base  | 1.9e-5 | —    |",
    ]);
  });
  it("escapes pipes and newlines, honours digits, fills short rows and rejects long ones", () => {
    const t = markdownTable([{ header: "a|b" }, { header: "n", digits: 5 }], [["x|y\nz", 3.14159265], ["only"]]);
    expect(t).toContain("a\\|b");
    expect(t).toContain("x\\|y<br>z");
    expect(t).toContain("3.1416");
    expect(t.split("\n")[3]).toMatch(/^\| only +\| +\|$/);
    expect(() => markdownTable(["a"], [[1, 2]])).toThrow(/2 cells for 1 columns/);
    expect(escapeCell("a|b")).toBe("a\\|b");
  });
});

describe("links and code", () => {
  it("writes image links, bracketing paths with spaces", () => {
    expect(imageLink("SFT loss", "figures/sft-loss.png")).toBe("![SFT loss](figures/sft-loss.png)");
    expect(imageLink("a [b]", "my figures/x (1).png")).toBe("![a \\[b\\]](<my figures/x (1).png>)");
    expect(inlineCode("sft")).toBe("`sft`");
    expect(inlineCode("a`b")).toBe("`` a`b ``");
  });
});

describe("number formatting", () => {
  it("keeps significant digits without noise", () => {
    expect(formatNumber(2.31456)).toBe("2.31");
    expect(formatNumber(0.5)).toBe("0.5");
    expect(formatNumber(5400)).toBe("5400");
    expect(formatNumber(12345.6)).toBe("12346");
    expect(formatNumber(0.000019)).toBe("1.9e-5");
    expect(formatNumber(-0.04567, 2)).toBe("-0.046");
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(0)).toBe("0");
  });
  it("formats rates, deltas and durations", () => {
    expect(formatPercent(0.4213)).toBe("42.1%");
    expect(formatDelta(0.13)).toBe("+0.13");
    expect(formatDelta(-2)).toBe("-2");
    expect(formatDuration(0.25)).toBe("250 ms");
    expect(formatDuration(12.34)).toBe("12.3 s");
    expect(formatDuration(245)).toBe("4m 05s");
    expect(formatDuration(7385)).toBe("2h 03m");
  });
});
