// Reading action chunks and token-id lists from files for the CLI: a JSON array of chunks
// (N×H×D), a single chunk (H×D), or a `.npy` array of shape (N, H, D) or (H, D); id files are
// JSON arrays of id lists. Errors say what was expected.

import { readFileSync } from "node:fs";

import { type ActionChunk, chunkFromRows, FastInputError } from "./chunk.js";
import { parseNpy } from "./npy.js";

function readFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FastInputError(code === "ENOENT" ? `${what} file ${file} does not exist` : `cannot read ${what} file ${file}: ${(e as Error).message}`);
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FastInputError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Chunks from a JSON value: N×H×D nested arrays (or one H×D chunk). */
export function chunksFromJson(value: unknown, source: string): ActionChunk[] {
  const expect = `${source} must hold a JSON array of action chunks (N×H×D numbers)`;
  if (!Array.isArray(value) || value.length === 0) throw new FastInputError(`${expect}; it is ${Array.isArray(value) ? "empty" : typeof value}`);
  const asNumbers = (row: unknown, where: string): number[] => {
    if (!Array.isArray(row) || !row.every((x) => typeof x === "number")) throw new FastInputError(`${expect}; ${where} is not an array of numbers`);
    return row as number[];
  };
  if (value.every((r) => Array.isArray(r) && r.every((x: unknown) => typeof x === "number"))) {
    return [chunkFromRows(value as number[][], `${source} (one H×D chunk)`)];
  }
  return value.map((chunk, i) => {
    if (!Array.isArray(chunk)) throw new FastInputError(`${expect}; chunk ${i} is not an array of timesteps`);
    return chunkFromRows(
      chunk.map((row, t) => asNumbers(row, `chunk ${i} timestep ${t}`)),
      `${source} chunk ${i}`,
    );
  });
}

/** Chunks from a `.npy` (N, H, D) / (H, D) array or a JSON file. */
export function readActionsFile(file: string): ActionChunk[] {
  const buf = readFile(file, "actions");
  if (buf.length >= 6 && buf[0] === 0x93 && buf.subarray(1, 6).toString("latin1") === "NUMPY") {
    const arr = parseNpy(buf, file);
    const s = arr.shape;
    if (s.length === 2) s.unshift(1);
    if (s.length !== 3) throw new FastInputError(`${file} has shape (${arr.shape.join(", ")}); expected (N, H, D) action chunks or one (H, D) chunk`);
    const [n, h, d] = s;
    if (n === 0 || h === 0 || d === 0) throw new FastInputError(`${file} has shape (${s.join(", ")}); N, H and D must be positive`);
    const chunks: ActionChunk[] = [];
    for (let i = 0; i < n; i++) chunks.push({ horizon: h, dim: d, data: arr.data.subarray(i * h * d, (i + 1) * h * d) });
    return chunks;
  }
  return chunksFromJson(parseJson(buf.toString("utf8"), file), file);
}

/** Id lists from a JSON file: `[[id, …], …]` (or `{"ids": [[…]]}` as `fast encode --json` prints). */
export function readIdsFile(file: string): number[][] {
  let value = parseJson(readFile(file, "ids").toString("utf8"), file);
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "ids" in value) value = (value as { ids: unknown }).ids;
  if (!Array.isArray(value) || !value.every((l) => Array.isArray(l))) {
    throw new FastInputError(`${file} must hold a JSON array of id lists, e.g. [[12, 7, 300], [5]]`);
  }
  return value.map((list: unknown[], i) => {
    list.forEach((x, k) => {
      if (typeof x !== "number") throw new FastInputError(`${file}: list ${i} entry ${k} is ${JSON.stringify(x)}, not a number`);
    });
    return list as number[];
  });
}
