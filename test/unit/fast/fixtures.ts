// Access to the FAST reference fixtures in ../shared (golden outputs of the Python/Rust reference).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { type ActionChunk, chunkFromRows } from "../../../src/fast/index.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const fixtureDir = path.resolve(repoRoot, "../shared/fixtures/fast");
export const fastPlusDir = path.resolve(repoRoot, "../shared/data/fast-plus");
export const projectFixtureDir = path.resolve(repoRoot, "test/fixtures/fast");

export const haveFixtures = existsSync(path.join(fixtureDir, "summary.json"));
export const haveFastPlus = existsSync(path.join(fastPlusDir, "tokenizer.json"));
export const skipReason = `FAST reference fixtures not found at ${fixtureDir}`;

const cache = new Map<string, unknown>();

/** Parsed JSON fixture (cached per file). */
export function fixture<T = any>(name: string): T {
  let v = cache.get(name);
  if (v === undefined) {
    v = JSON.parse(readFileSync(path.join(fixtureDir, name), "utf8"));
    cache.set(name, v);
  }
  return v as T;
}

export function chunks(rows: number[][][]): ActionChunk[] {
  return rows.map((r, i) => chunkFromRows(r, `chunk ${i}`));
}

export interface ActionsFixture {
  H: number;
  D: number;
  norm_stats: { q01: number[]; q99: number[] };
  raw_train: number[][][];
  raw_heldout: number[][][];
  train: number[][][];
  heldout: number[][][];
}

export { rng } from "../../../src/util/random.js";

/** Suite title that says why it is skipped when the reference fixtures are absent. */
export function fixtureSuite(name: string): string {
  return haveFixtures ? name : `${name} [skipped: ${skipReason}]`;
}
