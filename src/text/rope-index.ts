// M-RoPE position ids of Qwen2.5-VL (reference/qwen2_5_vl.md §5; transformers 5.18
// `Qwen2_5_VLModel.get_rope_index`). Walking the unpadded tokens with a counter `cur`: a text
// token gets `cur` on all three axes (t, h, w); an image span over the merged grid gh×gw gets
// (cur + frame, cur + y, cur + x) for token (frame, y, x) and then `cur += max(gh, gw)`.
// `ropeDelta = max position + 1 − number of unpadded tokens`, so a later token whose index
// among the row's real tokens is c sits at c + ropeDelta on every axis.
//
// Image spans are runs of `image_token_id` preceded by `vision_start_token_id` (how 4.57 finds
// them from input_ids; 5.x uses `mm_token_type_ids`, which marks the same runs); grids are
// consumed in order of appearance. Videos are not handled.

import { TextInputError } from "./errors.js";

export interface RopeIndexOptions {
  imageTokenId: number;
  visionStartTokenId: number;
  /** Merge factor of the vision tower (Qwen2.5-VL: 2); grids are in patches, spans in merged tokens. */
  spatialMergeSize?: number;
}

export interface RopeIndex {
  /** [3, T] row-major: rows t, h, w. */
  positionIds: Int32Array;
  ropeDelta: number;
}

export interface BatchRopeIndex {
  /** [3, B, T] row-major. */
  positionIds: Int32Array;
  /** Per row: max position + 1 − the row's unpadded length. */
  ropeDeltas: Int32Array;
  batchSize: number;
  seqLen: number;
}

/**
 * Position written at padded (attention-mask 0) slots, on all three axes: 0, as transformers 5.x
 * (4.57 writes 1). Those slots are masked out of attention, so the value only has to be stable.
 */
export const PADDED_POSITION = 0;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The token ids and merge size of a Qwen2.5-VL config.json (flat 4.x or 5.x layout). */
export function ropeIndexOptionsFromConfig(config: unknown): Required<RopeIndexOptions> {
  if (!isObject(config)) throw new TextInputError("config.json must hold a JSON object");
  const text = isObject(config.text_config) ? config.text_config : {};
  const vision = isObject(config.vision_config) ? config.vision_config : {};
  const id = (key: string): number => {
    const v = config[key] ?? text[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw new TextInputError(`config.json: ${key} must be a non-negative integer, got ${JSON.stringify(v)} (is this a Qwen2.5-VL config?)`);
    }
    return v;
  };
  const merge = vision.spatial_merge_size ?? 2;
  if (typeof merge !== "number" || !Number.isInteger(merge) || merge < 1) {
    throw new TextInputError(`config.json: vision_config.spatial_merge_size must be a positive integer, got ${JSON.stringify(merge)}`);
  }
  return { imageTokenId: id("image_token_id"), visionStartTokenId: id("vision_start_token_id"), spatialMergeSize: merge };
}

/** Merged tokens of one image grid [t, h, w] (patches): t·h·w / merge². */
export function imageTokenCount(grid: ArrayLike<number>, spatialMergeSize = 2): number {
  const [t, h, w] = checkGrid(grid, spatialMergeSize, "image grid");
  return (t * h * w) / (spatialMergeSize * spatialMergeSize);
}

function checkGrid(grid: ArrayLike<number>, m: number, what: string): [number, number, number] {
  if (!grid || grid.length !== 3) throw new TextInputError(`${what} must be [t, h, w], got ${JSON.stringify(grid && Array.from(grid))}`);
  const [t, h, w] = [Number(grid[0]), Number(grid[1]), Number(grid[2])];
  if (![t, h, w].every((v) => Number.isInteger(v) && v > 0)) {
    throw new TextInputError(`${what} [${t}, ${h}, ${w}] must hold positive integers`);
  }
  if (h % m !== 0 || w % m !== 0) {
    throw new TextInputError(`${what} [${t}, ${h}, ${w}]: h and w must be multiples of the spatial merge size ${m} (grids are in patches, as image_grid_thw)`);
  }
  return [t, h, w];
}

interface Walker {
  grids: ReadonlyArray<ArrayLike<number>>;
  next: number;
}

/**
 * Fills one row: the real tokens (mask ≠ 0) of `ids` get their positions at their own indices
 * in `out` (axis a at `out[a * axisStride + offset + i]`), padded slots get PADDED_POSITION.
 * Returns the row's rope delta.
 */
function fillRow(
  ids: ArrayLike<number>,
  mask: ArrayLike<number> | undefined,
  walker: Walker,
  options: RopeIndexOptions,
  out: Int32Array,
  axisStride: number,
  offset: number,
  row: string,
): number {
  const m = options.spatialMergeSize ?? 2;
  if (!Number.isInteger(m) || m < 1) throw new TextInputError(`spatialMergeSize ${m} must be a positive integer`);
  const T = ids.length;
  if (mask !== undefined && mask.length !== T) throw new TextInputError(`${row}: attention mask has length ${mask.length}, input ids ${T}`);
  // Indices of the real tokens, in order.
  const real: number[] = [];
  for (let i = 0; i < T; i++) {
    if (mask === undefined || mask[i] !== 0) real.push(i);
    else for (let a = 0; a < 3; a++) out[a * axisStride + offset + i] = PADDED_POSITION;
  }
  const put = (k: number, t: number, h: number, w: number) => {
    const i = offset + real[k];
    out[i] = t;
    out[axisStride + i] = h;
    out[2 * axisStride + i] = w;
  };
  let cur = 0;
  let max = -1;
  let k = 0;
  while (k < real.length) {
    const id = ids[real[k]];
    if (id !== options.imageTokenId) {
      put(k, cur, cur, cur);
      if (cur > max) max = cur;
      cur++;
      k++;
      continue;
    }
    const index = walker.next;
    if (index >= walker.grids.length) {
      throw new TextInputError(`${row}: image tokens at index ${real[k]} but only ${walker.grids.length} image grid(s) were given; pass one [t, h, w] per image, in order`);
    }
    if (k === 0 || ids[real[k - 1]] !== options.visionStartTokenId) {
      throw new TextInputError(`${row}: the image tokens at index ${real[k]} do not follow <|vision_start|> (id ${options.visionStartTokenId}); build prompts with the chat template`);
    }
    const [t, h, w] = checkGrid(walker.grids[index], m, `image grid ${index}`);
    walker.next++;
    const gh = h / m;
    const gw = w / m;
    const n = t * gh * gw;
    let run = 0;
    while (k + run < real.length && ids[real[k + run]] === options.imageTokenId) run++;
    if (run !== n) {
      throw new TextInputError(
        `${row}: image ${index} at index ${real[k]} has ${run} image tokens but its grid [${t}, ${h}, ${w}] needs t·h·w/${m * m} = ${n}; expand each <|image_pad|> to the image's merged-token count`,
      );
    }
    let j = k;
    for (let f = 0; f < t; f++) {
      for (let y = 0; y < gh; y++) {
        for (let x = 0; x < gw; x++) put(j++, cur + f, cur + y, cur + x);
      }
    }
    max = Math.max(max, cur + t - 1, cur + gh - 1, cur + gw - 1);
    cur += Math.max(gh, gw);
    k += n;
  }
  return real.length === 0 ? 0 : max + 1 - real.length;
}

/** Position ids [3, T] and rope delta of one sequence; `imageGridThw` lists its images' grids in order. */
export function ropeIndex(
  inputIds: ArrayLike<number>,
  imageGridThw: ReadonlyArray<ArrayLike<number>>,
  options: RopeIndexOptions,
  attentionMask?: ArrayLike<number>,
): RopeIndex {
  const T = inputIds.length;
  const positionIds = new Int32Array(3 * T);
  const walker: Walker = { grids: imageGridThw ?? [], next: 0 };
  const ropeDelta = fillRow(inputIds, attentionMask, walker, options, positionIds, T, 0, "sequence");
  if (walker.next !== walker.grids.length) {
    throw new TextInputError(`${walker.grids.length} image grid(s) given but the sequence holds ${walker.next} image(s); pass exactly one grid per <|image_pad|> span`);
  }
  return { positionIds, ropeDelta };
}

/**
 * Position ids [3, B, T] of a padded batch (right or left padding, per the attention mask) and
 * per-row deltas. `imageGridThw` lists the grids of all rows' images, row by row (as
 * transformers' `image_grid_thw`).
 */
export function ropeIndexBatch(
  inputIds: ReadonlyArray<ArrayLike<number>>,
  imageGridThw: ReadonlyArray<ArrayLike<number>>,
  options: RopeIndexOptions,
  attentionMask?: ReadonlyArray<ArrayLike<number>>,
): BatchRopeIndex {
  const B = inputIds.length;
  const T = B === 0 ? 0 : inputIds[0].length;
  for (let b = 0; b < B; b++) {
    if (inputIds[b].length !== T) throw new TextInputError(`row ${b} has ${inputIds[b].length} ids, row 0 has ${T}; pad the batch to one length`);
  }
  if (attentionMask !== undefined && attentionMask.length !== B) throw new TextInputError(`attention mask has ${attentionMask.length} rows, input ids ${B}`);
  const positionIds = new Int32Array(3 * B * T);
  const ropeDeltas = new Int32Array(B);
  const walker: Walker = { grids: imageGridThw ?? [], next: 0 };
  for (let b = 0; b < B; b++) {
    ropeDeltas[b] = fillRow(inputIds[b], attentionMask?.[b], walker, options, positionIds, B * T, b * T, `row ${b}`);
  }
  if (walker.next !== walker.grids.length) {
    throw new TextInputError(`${walker.grids.length} image grid(s) given but the batch holds ${walker.next} image(s); pass exactly one grid per <|image_pad|> span`);
  }
  return { positionIds, ropeDeltas, batchSize: B, seqLen: T };
}

/**
 * Position (all three axes) of a token decoded after the prompt: `cachePosition` is its index
 * among the row's real tokens (the absolute cache position when nothing is padded).
 */
export function decodePosition(cachePosition: number, ropeDelta: number): number {
  return cachePosition + ropeDelta;
}
