// The installed command line, end to end: doctor, model init, generate (built dist/ + addon).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasAddon, hasShared, repoRoot, sharedDir } from "../helpers/paths.js";

const bin = join(repoRoot, "bin", "roboalign.js");
const built = existsSync(join(repoRoot, "dist", "cli", "main.js"));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });

describe.skipIf(!built || !hasAddon)(`roboalign CLI${built && hasAddon ? "" : " — skipped: run `npm run setup` first (dist/ and the addon)"}`, () => {
  it("doctor loads the addon in a child process and reports versions", () => {
    const r = run("doctor", "--json");
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { node: string; addon: { ok: boolean; info: { libtorchVersion: string; devices: { name: string }[] } } };
    expect(report.node).toBe(process.version);
    expect(report.addon.ok).toBe(true);
    expect(report.addon.info.libtorchVersion).toMatch(/^2\./);
    expect(report.addon.info.devices[0].name).toBe("cpu");
  });

  it("initialises a tiny checkpoint and generates from it deterministically", () => {
    const dir = mkdtempSync(join(tmpdir(), "roboalign-cli-"));
    const init = run("model", "init", "--preset", "tiny", "--out", dir, "--seed", "5");
    expect(init.status, init.stderr).toBe(0);
    const gen = () => run("generate", "--model", dir, "--input-ids", "1,2,3", "--max-new-tokens", "6", "--temperature", "0", "--json");
    const a = gen();
    expect(a.status, a.stderr).toBe(0);
    const parsed = JSON.parse(a.stdout) as { ids: number[]; logprobs: number[] };
    expect(parsed.ids).toHaveLength(6);
    expect(parsed.logprobs.every((x) => x <= 0)).toBe(true);
    expect(gen().stdout).toBe(a.stdout);
  });

  it.skipIf(!hasShared)("generates the transformers greedy tokens of the reference fixture", () => {
    const ids = "481,48,198,261,25,264,109,178,13,482,198,481,72,198,5,77,300,12,400,9,482,198,481,91,198";
    const r = run("generate", "--model", join(sharedDir, "fixtures", "qwen2_5_vl", "tiny_untied"), "--input-ids", ids, "--max-new-tokens", "8", "--stop-ids", "none", "--json");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).ids).toEqual([209, 92, 425, 389, 194, 411, 97, 209]);
  });

  it.skipIf(!hasShared)("takes --image with ids that hold expanded image pads and matches transformers", () => {
    const dir = join(sharedDir, "fixtures", "qwen2_5_vl");
    for (const [name, images, want] of [
      ["one_image", ["img_56x84.png"], [217, 321, 411, 510, 209, 97, 397, 52]],
      ["two_images", ["img_56x84.png", "img_84x56.png"], [483, 68, 503, 231, 235, 396, 28, 235]],
    ] as const) {
      const ids = (JSON.parse(readFileSync(join(dir, "tiny_untied", "cases", `${name}.json`), "utf8")) as { input_ids: number[] }).input_ids;
      const r = run("generate", "--model", join(dir, "tiny_untied"), "--input-ids", ids.join(","), "--image", ...images.map((f) => join(dir, "images", f)), "--max-new-tokens", "8", "--stop-ids", "none", "--json");
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).ids).toEqual(want);
    }
    const ids = (JSON.parse(readFileSync(join(dir, "tiny_untied", "cases", "one_image.json"), "utf8")) as { input_ids: number[] }).input_ids;
    const missing = run("generate", "--model", join(dir, "tiny_untied"), "--input-ids", ids.join(","));
    expect(missing.stderr).toMatch(/holds 6 image-pad tokens \(id 492\) but no image was given/);
    const wrong = run("generate", "--model", join(dir, "tiny_untied"), "--input-ids", ids.join(","), "--image", join(dir, "images", "img_300x200_resized.png"));
    expect(wrong.stderr).toMatch(/need 77/);
  });

  it.skipIf(!hasShared)("trains a tokenizer, initialises a tiny Qwen2.5-VL with it, and answers chat prompts with images", () => {
    const dir = mkdtempSync(join(tmpdir(), "roboalign-vl-"));
    const corpus = join(dir, "corpus.txt");
    const words = "the robot arm picks up red blue green block bowl plate and puts it on the left right table".split(" ");
    writeFileSync(corpus, Array.from({ length: 400 }, (_, i) => Array.from({ length: 10 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(" ")).join("\n"));
    const tok = run("tokenizer", "train", "--corpus", corpus, "--vocab-size", "400", "--action-tokens", "8", "--out", join(dir, "tok"));
    expect(tok.status, tok.stderr).toBe(0);
    const init = run("model", "init", "--tokenizer", join(dir, "tok"), "--out", join(dir, "model"));
    expect(init.status, init.stderr).toBe(0);
    expect(existsSync(join(dir, "model", "tokenizer.json"))).toBe(true);
    const images = join(sharedDir, "fixtures", "qwen2_5_vl", "images");
    const one = run("generate", "--model", join(dir, "model"), "--prompt", "Pick up the red block.", "--image", join(images, "img_300x200_resized.png"), "--max-new-tokens", "6", "--stop-ids", "none", "--json");
    expect(one.status, one.stderr).toBe(0);
    const out = JSON.parse(one.stdout) as { ids: number[]; text: string };
    expect(out.ids).toHaveLength(6);
    expect(typeof out.text).toBe("string");
    // A JSONL batch: prompts with zero, one and two images of different sizes.
    const prompts = join(dir, "prompts.jsonl");
    writeFileSync(
      prompts,
      [
        { prompt: "Where is the bowl?" },
        { prompt: "Describe.", images: [join(images, "img_56x84.png")] },
        { prompt: "Compare.", images: [join(images, "img_84x56.png"), join(images, "img_50x70_resized.png")], system: "You are an embodied robotic assistant." },
      ].map((o) => JSON.stringify(o)).join("\n"),
    );
    const batch = run("generate", "--model", join(dir, "model"), "--prompts", prompts, "--max-new-tokens", "4", "--stop-ids", "none", "--json");
    expect(batch.status, batch.stderr).toBe(0);
    const lines = batch.stdout.trim().split("\n").map((l) => JSON.parse(l) as { ids: number[] });
    expect(lines.map((l) => l.ids.length)).toEqual([4, 4, 4]);
    // Batched answers equal the same prompts run alone (left padding and per-row rope deltas).
    const alone = run("generate", "--model", join(dir, "model"), "--prompt", "Describe.", "--image", join(images, "img_56x84.png"), "--max-new-tokens", "4", "--stop-ids", "none", "--json");
    expect(JSON.parse(alone.stdout).ids).toEqual(lines[1].ids);
  });

  it("records expert episodes as a LeRobot dataset, resumes, and reads them back", () => {
    const out = join(mkdtempSync(join(tmpdir(), "roboalign-sim-")), "spatial");
    const first = run("sim", "generate", "--suite", "spatial", "--episodes", "2", "--out", out, "--image-size", "32");
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/2 new episodes, 0 already there/);
    const again = run("sim", "generate", "--suite", "spatial", "--episodes", "3", "--out", out, "--image-size", "32");
    expect(again.stdout).toMatch(/1 new episodes, 2 already there/);
    const inspect = run("data", "inspect", out, "--json");
    expect(inspect.status, inspect.stderr).toBe(0);
    const report = JSON.parse(inspect.stdout) as { format: string; episodes: number; actions: { dims: number[] }; states: { dims: number[] }; skipped: unknown[] };
    expect(report).toMatchObject({ format: "lerobot", episodes: 3, actions: { dims: [7] }, states: { dims: [8] } });
    expect(report.skipped).toEqual([]);
  });

  it("explains bad input instead of crashing", () => {
    const r = run("generate", "--model", "/nonexistent/model", "--input-ids", "1,2");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/config\.json not found/);
    const bad = run("generate", "--model", "/tmp", "--input-ids", "1,x");
    expect(bad.stderr).toMatch(/--input-ids expects comma-separated non-negative integers/);
  });
});
