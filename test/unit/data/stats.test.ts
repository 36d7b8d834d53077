// `roboalign data stats` on a tiny recorded dataset: every source of the embedded mixture (plus a
// LLaVA file) is counted with the tokenizer, image tokens included, and limits are marked as estimates.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import yargs from "yargs";
import { dataCommand } from "../../../src/cli/commands/data.js";
import { LeRobotWriter } from "../../../src/data/lerobot/writer.js";
import { simToEpisode } from "../../../src/data/sim-episode.js";
import { actionChunkAt } from "../../../src/data/sources/action-chunks.js";
import type { MixtureStats } from "../../../src/data/stats.js";
import { fitFast } from "../../../src/fast/fit.js";
import { saveFastDirectory } from "../../../src/fast/processor-dir.js";
import { RobotEnv } from "../../../src/sim/robot-env.js";
import { rollout } from "../../../src/sim/rollout.js";
import { suite } from "../../../src/sim/tasks.js";
import { addActionTokensToFiles, trainQwenBpeTokenizer, writeTokenizerFiles } from "../../../src/text/index.js";
import { fixture } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "roboalign-stats-"));
const paths = { episodes: join(dir, "episodes"), tokenizer: join(dir, "tok"), fast: join(dir, "fast") };

async function cli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = 0;
  try {
    await yargs(args).command(dataCommand).strict().exitProcess(false).parseAsync();
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}

beforeAll(async () => {
  const env = await RobotEnv.create({ imageSize: 32 });
  const writer = LeRobotWriter.open(paths.episodes, { fps: 20 });
  const chunks = [];
  for (const i of [0, 1]) {
    const task = suite("long")[i];
    const ep = simToEpisode(rollout(env, task, task.initSeeds[0], undefined, { maxSteps: 40 }), `episode_${i}`, "long", i);
    await writer.writeEpisode(i, ep);
    for (let t = 0; t < ep.steps; t++) chunks.push(actionChunkAt(ep.actions, 7, ep.steps, t, 10));
  }
  env.dispose();
  const fast = fitFast(chunks, { vocabSize: 300 });
  saveFastDirectory(paths.fast, { processor: fast.processor });
  const words = "is the red blue green block plate bowl basket to left of right which object closest how far cm yes no point box".split(" ");
  const corpus = Array.from({ length: 200 }, (_, i) => Array.from({ length: 10 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(" "));
  writeTokenizerFiles(paths.tokenizer, addActionTokensToFiles(trainQwenBpeTokenizer(corpus, { vocabSize: 320 }), 300).files);
});

describe("data stats", () => {
  it("counts samples, tokens and images of every embedded source", async () => {
    const r = await cli(["data", "stats", "--mixture", "embedded", "--tokenizer", paths.tokenizer, "--episodes", paths.episodes, "--fast", paths.fast, "--limit", "4", "--json"]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as MixtureStats;
    expect(s.sources.map((x) => x.name)).toEqual(["sim-scene-caption", "sim-spatial-vqa", "sim-grounding", "sim-robot-qa", "sim-reasoning-mcq", "sim-fast-action-reasoning", "sim-fast-action"]);
    for (const x of s.sources) {
      expect(x.size, x.name).toBeGreaterThan(0);
      expect(x.scanned).toBe(Math.min(4, x.size));
      expect(x.images).toBe(x.scanned);
      // 32×32 frames are resized to 56×56 (min_pixels) → a 4×4 patch grid → 4 merged image tokens
      expect(x.imageTokens).toBe(4 * x.scanned);
      expect(x.supervisedTokens).toBeGreaterThan(0);
      expect(x.tokens).toBeGreaterThan(x.imageTokens + x.supervisedTokens);
    }
    expect(s.estimated).toBe(true);
    expect(s.totals.tokens).toBe(s.sources.reduce((n, x) => n + x.tokens, 0));
    expect(s.totals.epochSamples).toBe(11_100);
    const human = await cli(["data", "stats", "--mixture", "embedded", "--tokenizer", paths.tokenizer, "--episodes", paths.episodes, "--fast", paths.fast, "--limit", "2"]);
    expect(human.out).toMatch(/sim-grounding\s+embodied-vqa/);
    expect(human.out).toMatch(/~ estimate/);
  });

  it("scans a whole mixture file with a LLaVA source exactly", async () => {
    const file = join(dir, "mix.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "small",
        seed: 1,
        sources: [
          { name: "vqa", kind: "general-vqa", format: "llava", path: fixture("llava/vqa.json"), samples: 3 },
          { name: "sim-scene-caption", kind: "general-vqa", format: "embedded", samples: 3 },
        ],
      }),
    );
    const r = await cli(["data", "stats", "--mixture", file, "--tokenizer", paths.tokenizer, "--episodes", paths.episodes, "--json"]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as MixtureStats;
    const vqa = s.sources[0];
    // the fixture holds 3 usable records (one with two images) besides broken ones, which are skipped
    expect(vqa).toMatchObject({ name: "vqa", size: 3, scanned: 3, images: 3, estimated: false });
    expect(s.sources[1].scanned).toBe(s.sources[1].size);
  });

  it("says what is missing", async () => {
    const r = await cli(["data", "stats", "--mixture", "embedded", "--tokenizer", paths.tokenizer]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs simulator episodes/);
    const bad = await cli(["data", "stats", "--mixture", "nope", "--tokenizer", paths.tokenizer]);
    expect(bad.err).toMatch(/mixture "nope" is neither a recipe/);
  });
});
