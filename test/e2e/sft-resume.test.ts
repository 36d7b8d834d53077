// Stage 1 checkpoints: a run killed at a random step (SIGKILL, or SIGTERM which writes a
// checkpoint first) and resumed with --resume ends with the same weights, byte for byte, as an
// uninterrupted run; and the final model loads in Python transformers with the same logits.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getNativeCore } from "../../src/native/core.js";
import { loadCheckpoint } from "../../src/model/checkpoint.js";
import { hasAddon, hasTransformers, python, repoRoot } from "../helpers/paths.js";
import { makeTrainSetup, type TrainSetup } from "../helpers/train-setup.js";

const bin = join(repoRoot, "bin", "roboalign.js");
const built = existsSync(join(repoRoot, "dist", "cli", "main.js"));
const STEPS = 12;

function sftArgs(setup: TrainSetup, out: string): string[] {
  return ["sft", "--model", "preset:tiny", "--tokenizer", setup.tokenizerDir, "--fast", setup.fastDir, "--episodes", setup.data.train.join(","), "--out", out, "--max-steps", String(STEPS), "--save-every", "2", "--samples-per-step", "4", "--micro-batch-tokens", "512", "--heldout-samples", "0", "--action-horizon", "5", "--no-progress"];
}

function runToEnd(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 300_000 });
  expect(r.status, r.stderr).toBe(0);
  return r;
}

/** Starts a run and sends `signal` once `checkpoint` exists; resolves with the exit code. */
function killAt(args: string[], out: string, step: number, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: "ignore" });
    const dir = join(out, "checkpoints", `step-${String(step).padStart(6, "0")}`);
    const timer = setInterval(() => {
      if (existsSync(dir)) {
        clearInterval(timer);
        child.kill(signal);
      }
    }, 20);
    child.on("exit", (code, sig) => {
      clearInterval(timer);
      resolve(code ?? (sig === "SIGKILL" ? 137 : null));
    });
  });
}

const weights = (out: string) => readFileSync(join(out, "model", "model.safetensors"));
const losses = (out: string) =>
  readFileSync(join(out, "metrics.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { step: number; loss?: number }).filter((r) => r.loss !== undefined).map((r) => [r.step, r.loss]);

describe.skipIf(!built || !hasAddon)(`sft checkpoints and resume${built && hasAddon ? "" : " — skipped: run `npm run setup` first (dist/ and the addon)"}`, () => {
  let setup: TrainSetup;
  let reference: string;
  beforeAll(async () => {
    setup = await makeTrainSetup(mkdtempSync(join(tmpdir(), "ra-sft-")));
    reference = join(setup.dir, "uninterrupted");
    runToEnd(sftArgs(setup, reference));
  }, 600_000);

  it("writes a Hugging Face model, checkpoints and per-step metrics", () => {
    expect(losses(reference).map(([s]) => s)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    const ckpts = readdirSync(join(reference, "checkpoints"));
    expect(ckpts).toEqual(["step-000010", "step-000012"]);
    for (const f of ["config.json", "model.safetensors", "tokenizer.json", "fast/processor_config.json"]) expect(existsSync(join(reference, "model", f)), f).toBe(true);
  });

  it("killed by SIGKILL at a random step and resumed: identical weights", async () => {
    const out = join(setup.dir, "killed");
    const at = 2 * (1 + Math.floor(Math.random() * 4)); // a checkpoint in 2..8
    const code = await killAt(sftArgs(setup, out), out, at, "SIGKILL");
    expect(code).toBe(137);
    expect(existsSync(join(out, "model"))).toBe(false);
    runToEnd([...sftArgs(setup, out), "--resume"]);
    expect(weights(out).equals(weights(reference)), `killed after the step-${at} checkpoint`).toBe(true);
    expect(losses(out)).toEqual(losses(reference));
  }, 600_000);

  it("stopped by SIGTERM writes a checkpoint, exits 143, and resumes to identical weights", async () => {
    const out = join(setup.dir, "terminated");
    const code = await killAt(sftArgs(setup, out), out, 4, "SIGTERM");
    expect(code).toBe(143);
    runToEnd([...sftArgs(setup, out), "--resume"]);
    expect(weights(out).equals(weights(reference))).toBe(true);
  }, 600_000);

  it("refuses to resume with other settings", () => {
    const args = sftArgs(setup, reference).map((a) => (a === "4" ? "3" : a));
    const r = spawnSync(process.execPath, [bin, ...args, "--resume"], { encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/written with other settings/);
  });

  it.skipIf(!hasTransformers())("transformers loads the trained model and reproduces its logits", async () => {
    const dir = join(reference, "model");
    const ids = [5, 17, 40, 2, 99, 123, 7];
    const out = join(setup.dir, "hf.json");
    const r = spawnSync(python, [join(repoRoot, "scripts", "reference", "hf_forward.py"), "--model", dir, "--input-ids", ids.join(","), "--out", out], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const hf = JSON.parse(readFileSync(out, "utf8")) as { logits: number[][][]; missing: string[]; unexpected: string[] };
    expect(hf.missing).toEqual([]);
    expect(hf.unexpected).toEqual([]);
    const core = getNativeCore();
    const { handle } = await loadCheckpoint(core, dir);
    try {
      const f = await core.forward(handle, { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length }, { logits: "all" });
      const ref = hf.logits[0].flat();
      let maxDiff = 0;
      let maxRef = 0;
      ref.forEach((x, i) => {
        maxDiff = Math.max(maxDiff, Math.abs(x - f.logits![i]));
        maxRef = Math.max(maxRef, Math.abs(x));
      });
      expect(maxDiff).toBeLessThan(1e-4 * Math.max(1, maxRef));
    } finally {
      await core.dispose(handle);
    }
  });
});
