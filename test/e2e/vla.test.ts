// The VLA end to end on a tiny backbone: `vla train` learns (loss and held-out error fall), a run
// killed after a checkpoint and resumed ends with byte-identical head weights and reuses the feature
// cache; `vla eval` runs the policy folder closed-loop; `serve`'s loader answers with action chunks;
// the openpi Python client drives it through `serve`; `eval knn` probes backbones on trajectories of one task.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { recordSimEpisodes } from "../../src/data/record-sim.js";
import type { EvalRun } from "../../src/eval/closed-loop/eval-run.js";
import { getNativeCore } from "../../src/native/core.js";
import { loadServedPolicy } from "../../src/serve/load-policy.js";
import { startPolicyServer } from "../../src/serve/server.js";
import { closeWorkspace, openWorkspace, saveWorkspaceModel } from "../../src/train/model-workspace.js";
import { hasAddon, python, repoRoot } from "../helpers/paths.js";
import { makeTrainSetup, type TrainSetup } from "../helpers/train-setup.js";

const bin = join(repoRoot, "bin", "roboalign.js");
const built = existsSync(join(repoRoot, "dist", "cli", "main.js"));
const STEPS = 60;
const clientReady = existsSync(python) && spawnSync(python, ["-c", "import numpy, msgpack, websockets"], { stdio: "ignore" }).status === 0;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 600_000 });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

function trainArgs(setup: TrainSetup, backbone: string, out: string): string[] {
  return ["vla", "train", "--backbone", backbone, "--data", setup.data.train.join(","), "--heldout-data", setup.data.heldout.join(","), "--out", out, "--steps", String(STEPS), "--batch-size", "8", "--save-every", "20", "--eval-every", "0", "--no-progress"];
}

type Metric = { step: number; loss?: number; heldoutLoss?: number; heldoutActionMse?: number };
const metrics = (out: string): Metric[] => readFileSync(join(out, "metrics.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Metric);
const head = (out: string) => readFileSync(join(out, "policy", "head", "model.safetensors"));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.skipIf(!built || !hasAddon)(`vla train / eval / serve and eval knn${built && hasAddon ? "" : " — skipped: run `npm run setup` first (dist/ and the addon)"}`, () => {
  let setup: TrainSetup;
  let backbone: string;
  let reference: string;
  beforeAll(async () => {
    setup = await makeTrainSetup(mkdtempSync(join(tmpdir(), "ra-vla-")));
    backbone = join(setup.dir, "backbone");
    const ws = await openWorkspace(getNativeCore(), { model: "preset:tiny", tokenizer: setup.tokenizerDir, fast: setup.fastDir, device: "cpu", dtype: "float32", seed: 3 });
    try {
      await saveWorkspaceModel(ws, backbone);
    } finally {
      await closeWorkspace(ws);
    }
    reference = join(setup.dir, "uninterrupted");
    cli(trainArgs(setup, backbone, reference));
  }, 600_000);

  it("trains the head: loss and held-out error fall, the policy folder is complete", () => {
    const m = metrics(reference);
    const losses = m.filter((r) => r.loss !== undefined).map((r) => r.loss!);
    expect(losses).toHaveLength(STEPS);
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)));
    const held = m.filter((r) => r.heldoutLoss !== undefined);
    expect(held.map((r) => r.step)).toEqual([0, STEPS]);
    expect(held[1].heldoutLoss!).toBeLessThan(held[0].heldoutLoss!);
    expect(held[1].heldoutActionMse!).toBeLessThan(held[0].heldoutActionMse!);
    for (const f of ["policy.json", "normalization.json", "head/config.json", "head/model.safetensors"]) expect(existsSync(join(reference, "policy", f)), f).toBe(true);
    const policy = JSON.parse(readFileSync(join(reference, "policy", "policy.json"), "utf8")) as { kind: string; layer: number; actionDim: number; stateDim: number };
    expect(policy).toMatchObject({ kind: "vla", actionDim: 7, stateDim: 8 });
    expect(policy.layer).toBeGreaterThanOrEqual(1);
  });

  it("killed after a checkpoint and resumed: identical head weights, features read from the cache", async () => {
    const out = join(setup.dir, "killed");
    const args = trainArgs(setup, backbone, out);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { stdio: "ignore" });
      const timer = setInterval(() => {
        if (existsSync(join(out, "checkpoints", "step-000020"))) {
          clearInterval(timer);
          child.kill("SIGKILL");
        }
      }, 20);
      child.on("exit", (c, sig) => {
        clearInterval(timer);
        resolve(c ?? (sig === "SIGKILL" ? 137 : null));
      });
    });
    expect(code).toBe(137);
    const r = cli([...args, "--resume"]);
    expect(r.stderr).toMatch(/resuming from .*step-0000[24]0/);
    expect(r.stderr).toMatch(/; 0 computed, \d+ read from the cache/);
    expect(head(out).equals(head(reference))).toBe(true);
    const losses = (o: string) => metrics(o).filter((x) => x.loss !== undefined).map((x) => [x.step, x.loss]);
    expect(losses(out)).toEqual(losses(reference));
  }, 600_000);

  it("--no-cache-features runs the backbone per batch and trains on the same frames", () => {
    const out = join(setup.dir, "uncached");
    const args = trainArgs(setup, backbone, out).map((a) => (a === String(STEPS) ? "5" : a));
    const r = cli([...args, "--no-cache-features"]);
    expect(r.stderr).toMatch(/computed per batch, no cache/);
    expect(existsSync(join(out, "feature-cache"))).toBe(false);
    const first = (o: string) => metrics(o).find((x) => x.loss !== undefined)!.loss!;
    // Same draws, noise and initialisation; features differ only by batch padding in float32.
    expect(Math.abs(first(out) - first(reference))).toBeLessThan(1e-3 * first(reference));
  }, 600_000);

  it("vla eval runs the policy folder closed-loop on unseen initial states", () => {
    const out = join(setup.dir, "eval");
    cli(["vla", "eval", "--policy", join(reference, "policy"), "--suite", "goal", "--tasks", "0,1", "--trials", "1", "--first-trial", "20", "--max-steps", "24", "--workers", "1", "--image-size", "32", "--no-media", "--out", out]);
    const run = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as EvalRun;
    expect(run.episodes).toBe(2);
    expect(run.firstTrial).toBe(20);
    expect(run.records.map((r) => r.trial)).toEqual([20, 20]);
    // 24 steps with 4 actions executed per query: 6 queries per failed episode.
    for (const r of run.records) expect(r.inferCalls).toBe(r.success ? Math.ceil(r.steps / 4) : 6);
  }, 600_000);

  it("the policy server's loader serves the VLA: chunks of executeSteps × 7 with a binary gripper", async () => {
    const served = await loadServedPolicy(join(reference, "policy"));
    try {
      const img = { data: new Uint8Array(32 * 32 * 3).fill(90), height: 32, width: 32 };
      const obs = { images: { image: img, wrist_image: img }, state: Float64Array.from([0.5, 0, 0.3, 1, 0, 0, 0, 0.08]), instruction: "put the red block on the plate" };
      const chunk = await served.policy.infer(obs);
      expect(served.policy.actionDim).toBe(7);
      expect(chunk).toHaveLength(served.policy.horizon * 7);
      expect(chunk.every(Number.isFinite)).toBe(true);
      const stats = JSON.parse(readFileSync(join(reference, "policy", "normalization.json"), "utf8")) as { binaryGripper: { low: number; high: number } | null };
      if (stats.binaryGripper) for (let k = 6; k < chunk.length; k += 7) expect([stats.binaryGripper.low, stats.binaryGripper.high]).toContain(chunk[k]);
      await expect(served.policy.infer({ ...obs, state: new Float64Array(3) })).rejects.toThrow(/trained on 8/);
    } finally {
      await served.policy.dispose?.();
    }
  }, 120_000);

  it.skipIf(!clientReady)(`answers the openpi Python client as a served policy${clientReady ? "" : " — skipped: .venv python lacks numpy, msgpack or websockets"}`, async () => {
    const served = await loadServedPolicy(join(reference, "policy"));
    const server = await startPolicyServer({ policy: served.policy, metadata: served.metadata, host: "127.0.0.1", port: 0 });
    try {
      const r = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const p = spawn(python, [join(repoRoot, "scripts", "reference", "policy_client_check.py"), "--url", `ws://127.0.0.1:${server.port}`, "--steps", "2", "--obs", "libero", "--expect-horizon", String(served.policy.horizon), "--expect-action-dim", "7"]);
        let output = "";
        p.stdout.on("data", (d) => (output += d));
        p.stderr.on("data", (d) => (output += d));
        p.on("error", reject);
        p.on("close", (code) => resolve({ code, output }));
      });
      expect(r.output).toMatch(/policy_client_check: \d+ passed, 0 failed/);
      expect(r.code, r.output).toBe(0);
    } finally {
      await server.close();
      await served.policy.dispose?.();
    }
  }, 120_000);

  it("eval knn probes backbones on trajectories of one task", async () => {
    const data = join(setup.dir, "knn-data");
    await recordSimEpisodes({ out: data, suite: "goal", indices: [0, 10, 20], imageSize: 32 });
    const out = join(setup.dir, "knn");
    cli(["eval", "knn", "--backbones", `${backbone},${backbone}`, "--labels", "a,b", "--data", data, "--classes", "4", "--out", out, "--no-progress"]);
    const r = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { trajectories: number; sources: { label: string; accuracy: number }[]; chance: number };
    expect(r.trajectories).toBe(3);
    expect(r.sources.map((s) => s.label)).toEqual(["a", "b"]);
    // The same backbone twice gives the same accuracy: features and the classifier are deterministic.
    expect(r.sources[0].accuracy).toBe(r.sources[1].accuracy);
    expect(r.sources[0].accuracy).toBeGreaterThanOrEqual(0);
    expect(r.sources[0].accuracy).toBeLessThanOrEqual(1);
    expect(existsSync(join(out, "report.md"))).toBe(true);
  }, 600_000);
});
