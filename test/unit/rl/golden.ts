// Access to the GRPO reference fixtures in ../shared/fixtures/grpo (reference/grpo.md §7) and the
// closeness checks the GRPO tests share (each records the largest difference it saw).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { sharedDir } from "../../helpers/paths.js";

export const grpoFixtureDir = join(sharedDir, "fixtures", "grpo");
export const hasGrpoFixtures = existsSync(join(grpoFixtureDir, "grpo_easyr1_golden.json"));
export const GRPO_FIXTURES_MISSING = `${grpoFixtureDir} is absent (reference fixtures live beside the repository in ../shared)`;

export function grpoFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(grpoFixtureDir, name), "utf8")) as T;
}

export const flat = (rows: number[][]): number[] => rows.flat();

/** Largest relative / absolute differences seen per label, printed by the tests that use them. */
export const measured = new Map<string, { rel: number; abs: number }>();

/**
 * Every actual[i] within rel·|expected[i]| + abs of expected[i]. The golden numbers are printed with
 * 12 significant digits, so rel = 1e-9 leaves room for that rounding and nothing else.
 */
export function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-9, abs = 1e-15): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const m = measured.get(label) ?? { rel: 0, abs: 0 };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const d = Math.abs(a - e);
    m.abs = Math.max(m.abs, d);
    if (e !== 0) m.rel = Math.max(m.rel, d / Math.abs(e));
    if (!(d <= rel * Math.abs(e) + abs)) {
      throw new Error(`${label}[${i}]: got ${a}, expected ${e} (difference ${d}, allowed ${rel * Math.abs(e) + abs})`);
    }
  }
  measured.set(label, m);
}

export function expectScalar(label: string, actual: number, expected: number, rel = 1e-9, abs = 1e-15): void {
  expectClose(label, [actual], [expected], rel, abs);
}
