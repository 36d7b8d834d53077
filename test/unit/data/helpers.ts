// Shared paths and expected values for the dataset-reader tests (written by
// scripts/fixtures/make_data_fixtures.py next to the fixtures).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const FIXTURES = fileURLToPath(new URL("../../fixtures/data/", import.meta.url));
export const fixture = (rel: string): string => join(FIXTURES, rel);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const expected: any = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8"));

/** Left-to-right float64 sum, the order the generator uses. */
export function seqSum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
