// Reads the headers of safetensors checkpoints (single file or shards listed in
// model.safetensors.index.json) into the weight manifest the native core maps and copies from.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { WeightEntry } from "../native/contract.js";
import { NativeCoreError } from "../native/errors.js";

const SUPPORTED = new Set(["F32", "BF16", "F16"]);

function checkpointError(message: string): NativeCoreError {
  return new NativeCoreError("loadModel", "E_CHECKPOINT", message);
}

/** The tensors of one safetensors file, with absolute byte ranges. */
export function readSafetensorsHeader(file: string): WeightEntry[] {
  if (!existsSync(file)) {
    throw new NativeCoreError("loadModel", "E_FILE_NOT_FOUND", `weights file not found: ${file}. Fix: check the checkpoint folder (is a shard missing?)`);
  }
  const size = statSync(file).size;
  const fd = openSync(file, "r");
  try {
    const lenBuf = Buffer.alloc(8);
    if (readSync(fd, lenBuf, 0, 8, 0) !== 8) throw checkpointError(`${file} is too short to be a safetensors file`);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (headerLen <= 0 || 8 + headerLen > size || headerLen > 100_000_000) {
      throw checkpointError(`${file}: header length ${headerLen} does not fit the ${size}-byte file (truncated or not safetensors)`);
    }
    const headerBuf = Buffer.alloc(headerLen);
    readSync(fd, headerBuf, 0, headerLen, 8);
    let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    try {
      header = JSON.parse(headerBuf.toString("utf8"));
    } catch (err) {
      throw checkpointError(`${file}: the safetensors header is not valid JSON (${(err as Error).message})`);
    }
    const base = 8 + headerLen;
    const out: WeightEntry[] = [];
    for (const [name, t] of Object.entries(header)) {
      if (name === "__metadata__") continue;
      if (!SUPPORTED.has(t.dtype)) {
        throw checkpointError(`${file}: tensor ${name} has dtype ${t.dtype}; supported are F32, BF16 and F16`);
      }
      const [b, e] = t.data_offsets;
      if (base + e > size) throw checkpointError(`${file}: tensor ${name} ends at byte ${base + e} beyond the ${size}-byte file (truncated)`);
      out.push({ name, file: resolve(file), dtype: t.dtype as WeightEntry["dtype"], shape: t.shape, begin: base + b, end: base + e });
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** Every tensor of a checkpoint folder: model.safetensors, or the shards of its index. */
export function readCheckpointManifest(dir: string): WeightEntry[] {
  const index = join(dir, "model.safetensors.index.json");
  if (existsSync(index)) {
    const parsed = JSON.parse(readFileSync(index, "utf8")) as { weight_map?: Record<string, string> };
    if (!parsed.weight_map) throw checkpointError(`${index} has no weight_map`);
    const files = [...new Set(Object.values(parsed.weight_map))];
    const entries = files.flatMap((f) => readSafetensorsHeader(join(dir, f)));
    const listed = new Set(Object.keys(parsed.weight_map));
    const missing = entries.filter((e) => !listed.has(e.name)).map((e) => e.name);
    if (missing.length) throw checkpointError(`${index} does not list ${missing.length} tensors found in its shards (e.g. ${missing[0]})`);
    return entries;
  }
  const single = join(dir, "model.safetensors");
  if (!existsSync(single)) {
    throw new NativeCoreError(
      "loadModel",
      "E_FILE_NOT_FOUND",
      `no weights in ${dir}: expected model.safetensors or model.safetensors.index.json. Fix: point --model at a Hugging Face checkpoint folder (safetensors weights).`,
    );
  }
  return readSafetensorsHeader(single);
}
