// Guesses a dataset's format from its path: LeRobot roots have meta/info.json, RLDS shards are
// TFRecords, LIBERO files are HDF5, LLaVA data is .json/.jsonl.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DataFormat } from "./episode.js";

export function detectFormat(path: string): DataFormat | null {
  if (!existsSync(path)) return null;
  const byName = (f: string): DataFormat | null =>
    /\.tfrecord/.test(f) || /-of-\d{5}$/.test(f) ? "rlds" : /\.(hdf5|h5)$/.test(f) ? "libero" : /\.jsonl?$/.test(f) ? "llava" : null;
  if (!statSync(path).isDirectory()) return byName(path);
  if (existsSync(join(path, "meta/info.json"))) return "lerobot";
  const found = readdirSync(path).map(byName).filter((x): x is DataFormat => x !== null);
  for (const f of ["rlds", "libero"] as const) if (found.includes(f)) return f;
  return null;
}
