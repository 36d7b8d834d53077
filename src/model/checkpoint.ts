// Hugging Face checkpoint folders in and out: config.json + safetensors (single or sharded).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Device, DType, ModelHandle, NativeCore } from "../native/contract.js";
import { NativeCoreError } from "../native/errors.js";
import { ConfigError, parseHfConfig, withVocabSize, type ParsedHfConfig } from "./hf-config.js";
import { readCheckpointManifest } from "./safetensors.js";

export interface LoadedModel {
  handle: ModelHandle;
  config: ParsedHfConfig;
  dir: string;
}

export function readHfConfig(dir: string): ParsedHfConfig {
  const file = join(dir, "config.json");
  if (!existsSync(file)) {
    throw new NativeCoreError("loadModel", "E_FILE_NOT_FOUND", `${file} not found. Fix: --model must name a Hugging Face checkpoint folder.`);
  }
  try {
    return parseHfConfig(JSON.parse(readFileSync(file, "utf8")));
  } catch (err) {
    if (err instanceof ConfigError) throw new NativeCoreError("loadModel", "E_CONFIG", err.message);
    throw new NativeCoreError("loadModel", "E_CONFIG", `${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Loads a checkpoint folder: the language model, and for Qwen2.5-VL the vision tower too
 * (`textOnly` leaves the `visual.*` weights unloaded).
 */
export async function loadCheckpoint(
  core: NativeCore,
  dir: string,
  opts: { device?: Device; dtype?: DType; textOnly?: boolean } = {},
): Promise<LoadedModel> {
  const config = readHfConfig(dir);
  const withVision = config.vision !== null && !opts.textOnly;
  const weights = readCheckpointManifest(dir).filter((w) => withVision || !/^(model\.)?visual\./.test(w.name));
  const handle = await core.loadModel({
    config: config.text,
    vision: withVision ? config.vision! : undefined,
    weights,
    device: opts.device ?? "cpu",
    dtype: opts.dtype ?? "float32",
  });
  return { handle, config, dir };
}

function writeJsonAtomic(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * Writes a Hugging Face checkpoint folder: safetensors (sharded above `maxShardBytes`),
 * `model.safetensors.index.json` when sharded, and `config.json` (vocab size kept in step with
 * the embeddings). Every file is written under a temporary name and renamed.
 */
export async function saveCheckpoint(
  core: NativeCore,
  handle: ModelHandle,
  dir: string,
  configJson: Record<string, unknown>,
  opts: { dtype?: DType; maxShardBytes?: number } = {},
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const dtype = opts.dtype ?? "float32";
  const saved = await core.save(handle, { dir, dtype, maxShardBytes: opts.maxShardBytes ?? 5e9 });
  const index = join(dir, "model.safetensors.index.json");
  if (saved.files.length > 1) {
    writeJsonAtomic(index, { metadata: { total_size: saved.totalBytes }, weight_map: saved.weightMap });
  } else {
    rmSync(index, { force: true }); // a stale index from an earlier sharded save would win over model.safetensors
  }
  const info = core.modelInfo(handle);
  const cfg = withVocabSize(configJson, info.vocabSize);
  cfg.torch_dtype = dtype;
  writeJsonAtomic(join(dir, "config.json"), cfg);
}
