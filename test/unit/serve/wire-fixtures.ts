// Rebuilds the values described in test/fixtures/serve/msgpack_numpy.json (written by
// scripts/reference/make_serve_msgpack_fixtures.py with openpi's Python encoder).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NdArray, NpGeneric } from "../../../src/serve/ndarray.js";
import { repoRoot } from "../../helpers/paths.js";

export interface WireCase {
  name: string;
  hex: string;
  value: unknown;
}

export const wireFixtures = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "serve", "msgpack_numpy.json"), "utf8")) as {
  cases: WireCase[];
  decode_only: WireCase[];
};

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));

/** Tagged JSON → the JS value the decoder must produce and the encoder must accept. */
export function rebuild(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rebuild);
  if (typeof v !== "object" || v === null) return v;
  const o = v as Record<string, unknown>;
  if ("$nd" in o) {
    const nd = o.$nd as { dtype: string; shape: number[]; hex: string };
    return new NdArray(nd.dtype, nd.shape, bytes(nd.hex));
  }
  if ("$np" in o) {
    const np = o.$np as { dtype: string; value: number | boolean };
    return new NpGeneric(np.dtype, np.value);
  }
  if ("$bin" in o) return bytes(o.$bin as string);
  if ("$float" in o) return o.$float as number;
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, rebuild(x)]));
}
