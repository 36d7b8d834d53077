// `roboalign fast fit|encode|decode|stats`, run through yargs with the command module.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it, vi } from "vitest";
import yargs from "yargs";

import { fastCommand } from "../../../src/cli/commands/fast.js";
import { type ActionsFixture, fixture, fixtureDir, fixtureSuite, haveFixtures, projectFixtureDir } from "./fixtures.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "fast-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = "";
  let err = "";
  let failure: string | null = null;
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = 0;
  try {
    await yargs(args)
      .command(fastCommand)
      .strict()
      .exitProcess(false)
      .fail((msg, error) => {
        if (error) throw error;
        failure = msg;
      })
      .parseAsync();
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = failure !== null ? 2 : Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err: err + (failure ?? ""), code };
}

const tmpFile = (name: string, value: unknown): string => {
  const f = path.join(tmp, name);
  writeFileSync(f, JSON.stringify(value));
  return f;
};

describe.skipIf(!haveFixtures)(fixtureSuite("fast CLI on the reference data"), () => {
  const dir = path.join(tmp, "tok1024");

  it("fit writes the reference tokenizer", async () => {
    const a = fixture<ActionsFixture>("actions.json");
    const r = await cli(["fast", "fit", "--actions", tmpFile("train.json", a.train), "--vocab-size", "1024", "--out", dir, "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ chunks: 2000, minToken: -55, maxToken: 47, numMerges: 896, normalize: "none" });
    expect(readFileSync(path.join(dir, "tokenizer.json"), "utf8")).toBe(readFileSync(path.join(fixtureDir, "tokenizer_v1024.json"), "utf8"));
    const human = await cli(["fast", "fit", "--actions", tmpFile("train50.json", a.train.slice(0, 50)), "--vocab-size", "256", "--out", path.join(tmp, "small")]);
    expect(human.out).toMatch(/Fitted FAST tokenizer on 50 chunks/);
  });

  it("encode --json prints the reference ids", async () => {
    const a = fixture<ActionsFixture>("actions.json");
    const r = await cli(["fast", "encode", "--tokenizer", dir, "--actions", tmpFile("held.json", a.heldout), "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ ids: fixture<{ ids: number[][] }>("heldout_tokens_v1024.json").ids });
    const human = await cli(["fast", "encode", "--tokenizer", dir, "--actions", path.join(tmp, "held.json")]);
    expect(human.out).toMatch(/^chunk 0 \(17 tokens\): 52 42 55 /);
  });

  it("decode --json prints the reference actions and one status per chunk", async () => {
    const h = fixture<{ ids: number[][]; decoded: number[][][] }>("heldout_tokens_v1024.json");
    const ids = [...h.ids.slice(0, 3), [-1], h.ids[0].slice(1)];
    const r = await cli(["fast", "decode", "--tokenizer", dir, "--ids", tmpFile("ids.json", ids), "--horizon", "10", "--dim", "7", "--json"]);
    expect(r.code).toBe(0);
    const { actions, status } = JSON.parse(r.out) as { actions: number[][][]; status: string[] };
    expect(status.slice(0, 3)).toEqual(["ok", "ok", "ok"]);
    expect(status[3]).toMatch(/^invalid_id: /);
    expect(status[4]).toMatch(/^length_mismatch: /);
    let worst = 0;
    for (let i = 0; i < 3; i++) actions[i].flat().forEach((v, k) => (worst = Math.max(worst, Math.abs(v - h.decoded[i].flat()[k]))));
    expect(worst).toBeLessThan(1e-12);
    expect(actions[3].flat().every((v) => v === 0)).toBe(true);
    // H and D default to the tokenizer's processor_config.json.
    const human = await cli(["fast", "decode", "--tokenizer", dir, "--ids", path.join(tmp, "ids.json")]);
    expect(human.out).toMatch(/5 chunks decoded, 2 to zeros/);
  });

  it("stats reports tokens per chunk, compression and the reference reconstruction error", async () => {
    const a = fixture<ActionsFixture>("actions.json");
    const s = fixture<{ tokenizers: { v1024: { heldout_mean_tokens: number; heldout_max_abs_error: number; heldout_max_abs_error_per_dim: number[] } } }>("summary.json").tokenizers.v1024;
    const r = await cli(["fast", "stats", "--tokenizer", dir, "--actions", path.join(tmp, "held.json"), "--json"]);
    const stats = JSON.parse(r.out);
    expect(stats.chunks).toBe(a.heldout.length);
    expect(stats.tokensPerChunk.mean).toBeCloseTo(s.heldout_mean_tokens, 10);
    expect(stats.compressionRatio).toBeCloseTo(70 / s.heldout_mean_tokens, 10);
    expect(stats.reconstruction.maxAbsError).toBeCloseTo(s.heldout_max_abs_error, 12);
    stats.reconstruction.maxAbsErrorPerDim.forEach((m: number, d: number) => expect(m).toBeCloseTo(s.heldout_max_abs_error_per_dim[d], 12));
    const human = await cli(["fast", "stats", "--tokenizer", dir, "--actions", path.join(tmp, "held.json")]);
    expect(human.out).toMatch(/compression ratio: 3\.9\d* coefficients per token/);
    expect(human.out).toMatch(/dim 6: /);
  });

  it("fit --normalize quantile saves statistics, and decode returns raw units", async () => {
    const a = fixture<ActionsFixture>("actions.json");
    const ndir = path.join(tmp, "norm");
    const fit = await cli(["fast", "fit", "--actions", tmpFile("raw.json", a.raw_train), "--vocab-size", "1024", "--out", ndir, "--normalize", "quantile", "--no-clip", "--json"]);
    expect(fit.code).toBe(0);
    const saved = JSON.parse(readFileSync(path.join(ndir, "action_norm_stats.json"), "utf8"));
    expect(saved).toMatchObject({ mode: "quantile", clip: false, eps: 1e-6, q01: a.norm_stats.q01, q99: a.norm_stats.q99 });
    // Normalizing raw_train with its own q01/q99 gives the fixture's `train`, so the tokenizer is the reference one.
    expect(readFileSync(path.join(ndir, "tokenizer.json"), "utf8")).toBe(readFileSync(path.join(fixtureDir, "tokenizer_v1024.json"), "utf8"));
    const enc = await cli(["fast", "encode", "--tokenizer", ndir, "--actions", tmpFile("rawheld.json", a.raw_heldout), "--json"]);
    expect(JSON.parse(enc.out).ids).toEqual(fixture<{ ids: number[][] }>("heldout_tokens_v1024.json").ids);
    const stats = JSON.parse((await cli(["fast", "stats", "--tokenizer", ndir, "--actions", path.join(tmp, "rawheld.json"), "--json"])).out);
    expect(stats.failedDecodes).toBe(0);
    expect(stats.reconstruction.maxAbsError).toBeLessThan(0.07296052681759102); // raw range is narrower than [-1, 1]
  });
});

describe("fast CLI", () => {
  it("fits, encodes and decodes a .npy file", async () => {
    const dir = path.join(tmp, "npy");
    const npy = path.join(projectFixtureDir, "chunks_f8.npy");
    expect((await cli(["fast", "fit", "--actions", npy, "--vocab-size", "256", "--out", dir])).code).toBe(0);
    const ids = JSON.parse((await cli(["fast", "encode", "--tokenizer", dir, "--actions", npy, "--json"])).out).ids as number[][];
    expect(ids.length).toBe(3);
    const dec = JSON.parse((await cli(["fast", "decode", "--tokenizer", dir, "--ids", tmpFile("npyids.json", ids), "--json"])).out);
    expect(dec.status).toEqual(["ok", "ok", "ok"]);
  });

  it("says what to fix on bad input", async () => {
    const dir = path.join(tmp, "npy");
    const missing = await cli(["fast", "encode", "--tokenizer", dir, "--actions", path.join(tmp, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/roboalign fast encode: actions file .*nope.json does not exist/);
    const ragged = await cli(["fast", "encode", "--tokenizer", dir, "--actions", tmpFile("ragged.json", [[[1, 2], [3]]])]);
    expect(ragged.err).toMatch(/row 1 has 1 values, row 0 has 2/);
    const shape = await cli(["fast", "encode", "--tokenizer", dir, "--actions", path.join(projectFixtureDir, "chunks_1d_f8.npy")]);
    expect(shape.err).toMatch(/expected \(N, H, D\)/);
    const nan = await cli(["fast", "encode", "--tokenizer", dir, "--actions", tmpFile("nan.json", [[[1], [null]]])]);
    expect(nan.err).toMatch(/not an array of numbers/);
    const noTok = await cli(["fast", "encode", "--tokenizer", tmp, "--actions", path.join(tmp, "nope.json")]);
    expect(noTok.err).toMatch(/not a FAST tokenizer directory/);
    const idsBad = await cli(["fast", "decode", "--tokenizer", dir, "--ids", tmpFile("idsbad.json", { x: 1 })]);
    expect(idsBad.err).toMatch(/JSON array of id lists/);
    const noVocab = await cli(["fast", "fit", "--actions", "x.json", "--out", dir]);
    expect(noVocab.code).toBe(2);
    expect(noVocab.err).toMatch(/Missing required argument: vocab-size/);
  });
});
