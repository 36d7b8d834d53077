// Where the vision tests find the Qwen2.5-VL preprocessing fixtures (reference/qwen2_5_vl.md §10.5).
import { readFileSync } from "node:fs";
import path from "node:path";

import { hasShared, SHARED_MISSING, sharedDir } from "../../helpers/paths.js";
import { readTensors, type Tensor } from "../../helpers/tensors.js";

export const fixtureDir = path.join(sharedDir, "fixtures", "qwen2_5_vl");
export const haveFixtures = hasShared;
export const suite = (name: string): string => (haveFixtures ? name : `${name} — skipped: ${SHARED_MISSING}`);

export interface PreprocessJson {
  processor: string;
  min_pixels: number;
  max_pixels: number;
  images: Record<string, { hw: [number, number]; grid_thw: [number, number, number]; pixel_values_shape: [number, number] }>;
  smart_resize_table: { h: number; w: number; min_pixels: number; max_pixels: number; out_h: number; out_w: number }[];
}

export const IMAGE_NAMES = ["img_56x84", "img_84x56", "img_50x70_resized", "img_300x200_resized"] as const;

let json: PreprocessJson | undefined;
export function preprocessJson(): PreprocessJson {
  json ??= JSON.parse(readFileSync(path.join(fixtureDir, "preprocess.json"), "utf8")) as PreprocessJson;
  return json;
}

let tensors: Map<string, Tensor> | undefined;
export function preprocessTensors(): Map<string, Tensor> {
  tensors ??= readTensors(path.join(fixtureDir, "preprocess.safetensors"));
  return tensors;
}

export function tensor(name: string): Tensor {
  const t = preprocessTensors().get(name);
  if (!t) throw new Error(`preprocess.safetensors has no tensor ${name}`);
  return t;
}

export const imagePath = (name: string, ext: "png" | "rgb"): string => path.join(fixtureDir, "images", `${name}.${ext}`);
