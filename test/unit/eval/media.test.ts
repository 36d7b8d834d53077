// Episode media through sharp: animated GIF pages and PNG strips, and which episodes are picked.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildJobs, evaluatePolicy, evenlySpaced, runJobs, selectMedia, writeEpisodeMedia, type FrameStrip, type Job, type JobResult } from "../../../src/eval/closed-loop/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "eval-media-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function strip(n: number, size = 12): FrameStrip {
  const frames = Array.from({ length: n }, (_, i) => new Uint8Array(3 * size * size).fill(20 * i));
  return { width: size, height: size, steps: frames.map((_, i) => 4 * i), frames };
}

describe("media writer", () => {
  it("writes an animated GIF with one page per frame", async () => {
    const path = join(dir, "a", "ep.gif");
    await writeEpisodeMedia(strip(5), path, "gif");
    const m = await sharp(path, { animated: true }).metadata();
    expect([m.format, m.width, m.pageHeight, m.pages]).toEqual(["gif", 12, 12, 5]);
  });
  it("writes a PNG strip of evenly spaced frames", async () => {
    const path = join(dir, "ep.png");
    await writeEpisodeMedia(strip(20), path, "png", { stripFrames: 4 });
    const m = await sharp(path).metadata();
    expect([m.format, m.width, m.height]).toEqual(["png", 4 * 12 + 3 * 2, 12]);
    expect(evenlySpaced(20, 4)).toEqual([0, 6, 13, 19]);
    expect(evenlySpaced(3, 8)).toEqual([0, 1, 2]);
  });
  it("rejects frames of the wrong size", async () => {
    const s = strip(2);
    s.frames[1] = new Uint8Array(5);
    await expect(writeEpisodeMedia(s, join(dir, "bad.gif"), "gif")).rejects.toThrow(/frame 1 has 5 bytes/);
  });
});

describe("media selection", () => {
  it("keeps the first successes and failures per suite in job order", () => {
    const jobs: Job[] = Array.from({ length: 6 }, (_, i) => ({ id: i, suite: "goal", task: i, trial: 0, seed: i, media: true }));
    const results: JobResult[] = jobs.map((j, i) => ({ id: j.id, success: i % 3 !== 0, steps: 10, inferCalls: 10, frames: i === 4 ? undefined : strip(1) }));
    const picks = selectMedia(jobs, results, 1, "gif");
    expect(picks.map((p) => p.file)).toEqual(["media/goal/task00_trial00_failure.gif", "media/goal/task01_trial00_success.gif"]);
  });
  it("records frames every k steps plus the last for the first trials only", async () => {
    const jobs = buildJobs({ suites: ["spatial"], tasks: [0], trials: 2, mediaTrials: 1 });
    const results = await runJobs({ kind: "noop" }, jobs, { workers: 1, runner: { mediaSize: 32, mediaEvery: 5, protocol: { maxSteps: 12 } } });
    expect(results[0].frames?.steps).toEqual([0, 5, 10, 12]);
    expect(results[0].frames?.frames.map((f) => f.length)).toEqual([1, 2, 3, 4].map(() => 32 * 32 * 3));
    expect(results[1].frames).toBeUndefined();
  });
  it("writes the chosen episodes and drops the frames afterwards", async () => {
    const { run, results } = await evaluatePolicy({ policy: { kind: "noop" }, suites: ["spatial"], tasks: [0, 1], trials: 2, workers: 1, runner: { mediaSize: 32, protocol: { maxSteps: 8 } }, media: { outDir: dir, perOutcome: 1 } });
    expect(run.media).toEqual([{ suite: "spatial", outcome: "failure", file: "media/spatial/task00_trial00_failure.gif" }]);
    const m = await sharp(join(dir, run.media[0].file), { animated: true }).metadata();
    // identical frames of a still arm may be merged by the GIF encoder, so only the format is fixed
    expect([m.format, m.width]).toEqual(["gif", 32]);
    expect(results.every((r) => r.frames === undefined)).toBe(true);
  });
});
