// ref: transformers v5.18.0 models/qwen2_vl/image_processing_pil_qwen2_vl.py (`__init__`: min_pixels /
// max_pixels override size.shortest_edge / size.longest_edge) and the hub file
// Qwen/Qwen2.5-VL-7B-Instruct preprocessor_config.json (reference/qwen2_5_vl.md §1.1).
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { VisionInputError } from "./errors.js";
import { DEFAULT_MAX_PIXELS, DEFAULT_MIN_PIXELS } from "./smart-resize.js";

/** OPENAI_CLIP_MEAN / OPENAI_CLIP_STD from transformers' image_utils. */
export const OPENAI_CLIP_MEAN: readonly [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
export const OPENAI_CLIP_STD: readonly [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

export interface ImageProcessorOptions {
  minPixels: number;
  maxPixels: number;
  patchSize: number;
  temporalPatchSize: number;
  mergeSize: number;
  imageMean: readonly number[];
  imageStd: readonly number[];
  /** false: keep the input size (it must then be a multiple of patchSize · mergeSize). */
  doResize: boolean;
  doRescale: boolean;
  rescaleFactor: number;
  doNormalize: boolean;
}

/** Qwen2.5-VL hub defaults (the hub file's max_pixels, not the smaller code default). */
export const QWEN2_5_VL_IMAGE_DEFAULTS: Readonly<ImageProcessorOptions> = Object.freeze({
  minPixels: DEFAULT_MIN_PIXELS,
  maxPixels: DEFAULT_MAX_PIXELS,
  patchSize: 14,
  temporalPatchSize: 2,
  mergeSize: 2,
  imageMean: OPENAI_CLIP_MEAN,
  imageStd: OPENAI_CLIP_STD,
  doResize: true,
  doRescale: true,
  rescaleFactor: 1 / 255,
  doNormalize: true,
});

export const PREPROCESSOR_CONFIG_FILE = "preprocessor_config.json";

/** Defaults overlaid with the given options, checked. */
export function resolveImageProcessorOptions(options: Partial<ImageProcessorOptions> = {}): ImageProcessorOptions {
  const o: ImageProcessorOptions = { ...QWEN2_5_VL_IMAGE_DEFAULTS };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  for (const k of ["minPixels", "maxPixels", "patchSize", "temporalPatchSize", "mergeSize"] as const) {
    if (!Number.isInteger(o[k]) || o[k] <= 0) throw new VisionInputError(`image processor option ${k} must be a positive integer, got ${o[k]}`);
  }
  if (o.minPixels > o.maxPixels) throw new VisionInputError(`image processor: minPixels ${o.minPixels} exceeds maxPixels ${o.maxPixels}`);
  for (const k of ["imageMean", "imageStd"] as const) {
    const a = o[k];
    if (!Array.isArray(a) || a.length !== 3 || !a.every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new VisionInputError(`image processor option ${k} must be 3 finite numbers (R, G, B), got ${JSON.stringify(a)}`);
    }
  }
  if (o.imageStd.some((v) => v === 0)) throw new VisionInputError(`image processor option imageStd must not contain 0, got ${JSON.stringify(o.imageStd)}`);
  if (!(Number.isFinite(o.rescaleFactor) && o.rescaleFactor > 0)) throw new VisionInputError(`image processor option rescaleFactor must be > 0, got ${o.rescaleFactor}`);
  return o;
}

function num(cfg: Record<string, unknown>, key: string, where: string): number | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number") throw new VisionInputError(`${where}: "${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function bool(cfg: Record<string, unknown>, key: string, where: string): boolean | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw new VisionInputError(`${where}: "${key}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function triple(cfg: Record<string, unknown>, key: string, where: string): number[] | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  const a = typeof v === "number" ? [v, v, v] : v;
  if (!Array.isArray(a) || a.length !== 3 || !a.every((x) => typeof x === "number")) {
    throw new VisionInputError(`${where}: "${key}" must be a number or 3 numbers, got ${JSON.stringify(v)}`);
  }
  return a as number[];
}

/**
 * Options from a parsed Hugging Face `preprocessor_config.json`. Pixel limits come from
 * `min_pixels`/`max_pixels` when present, else from `size.shortest_edge`/`size.longest_edge`
 * (newer saves), else the Qwen2.5-VL hub defaults.
 */
export function imageProcessorOptionsFromConfig(cfg: Record<string, unknown>, where = PREPROCESSOR_CONFIG_FILE): ImageProcessorOptions {
  if (typeof cfg !== "object" || cfg === null || Array.isArray(cfg)) throw new VisionInputError(`${where}: expected a JSON object`);
  let size: Record<string, unknown> = {};
  if (cfg.size !== undefined && cfg.size !== null) {
    if (typeof cfg.size !== "object" || Array.isArray(cfg.size)) throw new VisionInputError(`${where}: "size" must be an object, got ${JSON.stringify(cfg.size)}`);
    size = cfg.size as Record<string, unknown>;
  }
  return resolveImageProcessorOptions({
    minPixels: num(cfg, "min_pixels", where) ?? num(size, "shortest_edge", `${where} size`),
    maxPixels: num(cfg, "max_pixels", where) ?? num(size, "longest_edge", `${where} size`),
    patchSize: num(cfg, "patch_size", where),
    temporalPatchSize: num(cfg, "temporal_patch_size", where),
    mergeSize: num(cfg, "merge_size", where),
    imageMean: triple(cfg, "image_mean", where),
    imageStd: triple(cfg, "image_std", where),
    doResize: bool(cfg, "do_resize", where),
    doRescale: bool(cfg, "do_rescale", where),
    rescaleFactor: num(cfg, "rescale_factor", where),
    doNormalize: bool(cfg, "do_normalize", where),
  });
}

/**
 * Options from `<dir>/preprocessor_config.json` (or that file's path); the hub defaults when the
 * directory has no such file.
 */
export function loadImageProcessorConfig(dirOrFile: string): ImageProcessorOptions {
  if (!existsSync(dirOrFile)) throw new VisionInputError(`image processor config: ${dirOrFile} does not exist`);
  const file = statSync(dirOrFile).isDirectory() ? path.join(dirOrFile, PREPROCESSOR_CONFIG_FILE) : dirOrFile;
  if (!existsSync(file)) return resolveImageProcessorOptions();
  let cfg: unknown;
  try {
    cfg = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new VisionInputError(`${file}: not valid JSON (${(e as Error).message}); fix or remove the file`);
  }
  return imageProcessorOptionsFromConfig(cfg as Record<string, unknown>, file);
}
