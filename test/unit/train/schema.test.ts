import { describe, expect, it } from "vitest";
import { stageConfig } from "../../../src/cli/stage-config.js";
import { SFT_RECIPES, SFT_SCHEMA } from "../../../src/train/sft/config.js";
import { GRPO_RECIPES, GRPO_SCHEMA } from "../../../src/train/grpo/config.js";
import { ConfigError, flagName, parsePartial, resolveConfig, yargsOptions } from "../../../src/train/schema.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("stage settings schema", () => {
  it("derives one flag per field", () => {
    const flags = yargsOptions(SFT_SCHEMA);
    expect(Object.keys(flags)).toHaveLength(Object.keys(SFT_SCHEMA).length);
    expect(flags["warmup-ratio"].type).toBe("number");
    expect(flags["freeze-vision"].type).toBe("boolean");
    expect(flagName("maxGradNorm")).toBe("max-grad-norm");
  });

  it("recipes are complete and valid", () => {
    for (const r of Object.values(SFT_RECIPES)) expect(resolveConfig(SFT_SCHEMA, r)).toEqual(r);
    for (const r of Object.values(GRPO_RECIPES)) expect(resolveConfig(GRPO_SCHEMA, r)).toEqual(r);
  });

  it("paper recipes carry the paper's and EasyR1's settings", () => {
    const sft = SFT_RECIPES["paper-7b"];
    expect([sft.lr, sft.warmupRatio, sft.schedule, sft.epochs, sft.freezeVision]).toEqual([2e-5, 0.03, "cosine", 1, true]);
    const g = GRPO_RECIPES["paper-7b"];
    expect([g.rolloutBatch, g.samplesPerPrompt, g.updateBatch, g.lr, g.temperature, g.klCoef, g.clipRatioLow, g.clipRatioHigh, g.clipRatioDual, g.lossAvgMode]).toEqual([512, 5, 128, 1e-6, 1, 0.01, 0.2, 0.3, 3, "token"]);
  });

  it("names the field on bad values and unknown keys", () => {
    expect(() => parsePartial(SFT_SCHEMA, { lr: "fast" }, "cfg.json")).toThrow(/cfg.json: "lr" must be a number/);
    expect(() => parsePartial(SFT_SCHEMA, { samplesPerStep: 1.5 }, "cfg")).toThrow(/must be an integer/);
    expect(() => parsePartial(SFT_SCHEMA, { schedule: "step" }, "cfg")).toThrow(/must be one of cosine, linear, constant/);
    expect(() => parsePartial(SFT_SCHEMA, { learningRate: 1 }, "cfg")).toThrow(ConfigError);
    expect(() => parsePartial(GRPO_SCHEMA, { samplesPerPrompt: 1 }, "cfg")).toThrow(/>= 2/);
  });

  it("layers recipe < file < flags", () => {
    const dir = mkdtempSync(join(tmpdir(), "ra-cfg-"));
    const file = join(dir, "sft.yaml");
    writeFileSync(file, "recipe: tiny\nlr: 0.001\nepisodes: [a, b]\nsamplesPerStep: 4\n");
    const c = stageConfig(SFT_SCHEMA, SFT_RECIPES, { config: file, "samples-per-step": 8, kinds: "fast-action,reasoning" });
    expect(c.lr).toBe(0.001);
    expect(c.episodes).toEqual(["a", "b"]);
    expect(c.samplesPerStep).toBe(8);
    expect(c.kinds).toEqual(["fast-action", "reasoning"]);
    expect(c.model).toBe(SFT_RECIPES.tiny.model);
    expect(() => stageConfig(SFT_SCHEMA, SFT_RECIPES, { recipe: "huge" })).toThrow(/unknown recipe "huge"/);
  });
});
