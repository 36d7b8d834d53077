// The policy server against a Python client that speaks the openpi protocol the way the stock
// LIBERO / DROID / ALOHA clients do (scripts/reference/policy_client_check.py).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServedPolicy } from "../../src/serve/load-policy.js";
import { type PolicyServer, startPolicyServer } from "../../src/serve/server.js";
import { python, repoRoot } from "../helpers/paths.js";

const script = join(repoRoot, "scripts", "reference", "policy_client_check.py");
const clientReady =
  existsSync(python) &&
  spawnSync(python, ["-c", "import numpy, msgpack, websockets, sys; sys.exit(int(websockets.__version__.split('.')[0]) < 13)"], { stdio: "ignore" }).status === 0;
const CLIENT_MISSING = ".venv python lacks numpy, msgpack or websockets>=13 (install them: .venv/bin/pip install msgpack websockets)";

/** Runs the client check without blocking the event loop (the server may live in this process). */
function clientCheck(url: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(python, [script, "--url", url, ...args]);
    let output = "";
    p.stdout.on("data", (d) => (output += d));
    p.stderr.on("data", (d) => (output += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, output }));
  });
}

/** A constant 10 × 7 chunk that takes a little while, so pings land during inference. */
function policyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "roboalign-serve-"));
  const actions = Array.from({ length: 10 }, (_, i) => [0, 0, 0, 0, 0, 0, i % 2 ? 1 : -1]);
  writeFileSync(join(dir, "policy.json"), JSON.stringify({ kind: "constant", actions, delay_ms: 100, default_prompt: "Transfer cube", metadata: { reset_pose: [0, -1.5, 1.5, 0, 0, 0] } }));
  return dir;
}

describe.skipIf(!clientReady)(`openpi Python client against the policy server${clientReady ? "" : ` — skipped: ${CLIENT_MISSING}`}`, () => {
  let server: PolicyServer;
  let url: string;
  beforeAll(async () => {
    const served = await loadServedPolicy(policyDir());
    server = await startPolicyServer({ policy: served.policy, metadata: served.metadata, defaultPrompt: served.defaultPrompt, host: "127.0.0.1", port: 0 });
    url = `ws://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ["libero", ["--expect-horizon", "10", "--expect-action-dim", "7"]],
    ["droid", ["--expect-horizon", "10"]],
    ["aloha", []],
  ])("passes every check with %s observations", async (obs, extra) => {
    const r = await clientCheck(url, "--steps", "3", "--obs", obs, ...extra);
    expect(r.output).toMatch(/policy_client_check: \d+ passed, 0 failed/);
    expect(r.code, r.output).toBe(0);
  });
});

const cliBuilt = existsSync(join(repoRoot, "dist", "cli", "commands", "serve.js"));
describe.skipIf(!clientReady || !cliBuilt)(
  `roboalign serve (built CLI) with the Python client${!clientReady ? ` — skipped: ${CLIENT_MISSING}` : !cliBuilt ? " — skipped: dist/ has no serve command (npm run build:ts)" : ""}`,
  () => {
    it("starts from a policy folder, serves LIBERO requests and stops on SIGTERM", async () => {
      const child = spawn(process.execPath, [join(repoRoot, "bin", "roboalign.js"), "serve", "--policy", policyDir(), "--port", "0", "--host", "127.0.0.1", "--quiet"]);
      try {
        const port = await new Promise<number>((resolve, reject) => {
          let err = "";
          child.stderr.on("data", (d) => {
            err += d;
            const m = /on ws:\/\/127\.0\.0\.1:(\d+)/.exec(err);
            if (m) resolve(Number(m[1]));
          });
          child.on("close", (code) => reject(new Error(`roboalign serve exited (${code}): ${err}`)));
        });
        const r = await clientCheck(`ws://127.0.0.1:${port}`, "--steps", "2", "--obs", "libero", "--expect-horizon", "10");
        expect(r.code, r.output).toBe(0);
      } finally {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    });
  },
);
