// Robot episodes → the VLA's training frames (ref: Isaac-GR00T gr00t/data/dataset.py
// LeRobotSingleDataset; shared/reference/action-head.md §8): every k-th (episode, frame) is one
// item with the state at t, the action chunk t..t+H−1 (past the episode end padded with the last
// action, GR00T's rule for "absolute" keys, its default) and the backbone features of the frame's
// camera images (sorted camera names: `image`, then `wrist_image`) with the instruction.
import { resolve } from "node:path";
import { detectFormat } from "../data/detect.js";
import type { Episode, EpisodeReader } from "../data/episode.js";
import { LeRobotReader } from "../data/lerobot/reader.js";
import { openDataset } from "../data/open.js";
import type { RgbImage } from "../vision/image-processor.js";
import type { FrozenBackbone, VlInput } from "./backbone.js";
import type { FeatureCache } from "./feature-cache.js";

export interface FrameSet {
  /** Feature-cache key of each frame. */
  keys: string[];
  stateDim: number;
  actionDim: number;
  horizon: number;
  /** [frames × stateDim] raw states. */
  states: Float64Array;
  /** [frames × horizon × actionDim] raw action chunks. */
  chunks: Float64Array;
  /** Every recorded action of the episodes (normalisation statistics cover these). */
  allActions: Float64Array;
  episodes: number;
  /** Frames whose image did not decode (reported by the reader), left out. */
  skippedFrames: number;
  /** Frames whose features the backbone computed in this call (the rest came from the cache). */
  computed: number;
  /** Without a cache: each frame's episode and index, to build its backbone input at training time. */
  sources: { ep: Episode; t: number }[] | null;
}

export interface CollectOptions {
  horizon: number;
  stride: number;
  /** null: features are not precomputed; the trainer runs the backbone on each batch. */
  cache: FeatureCache | null;
  /** Opens the backbone on first need, so a fully cached run never loads it. */
  backbone: () => Promise<FrozenBackbone>;
  onEpisode?: (episodes: number, frames: number) => void;
}

/** Camera images of frame t in sorted camera order, or null when one does not decode. */
export async function frameImages(ep: Episode, t: number): Promise<RgbImage[] | null> {
  const out: RgbImage[] = [];
  for (const name of Object.keys(ep.images).sort()) {
    const f = await ep.images[name].frame(t);
    if (!f) return null;
    out.push({ data: f.data, height: f.height, width: f.width });
  }
  return out;
}

export async function collectFrames(paths: readonly string[], o: CollectOptions): Promise<FrameSet> {
  const keys: string[] = [];
  const states: number[] = [];
  const chunks: number[] = [];
  const allActions: number[] = [];
  let stateDim = -1;
  let actionDim = -1;
  let episodes = 0;
  let skippedFrames = 0;
  let computed = 0;
  const sources: { ep: Episode; t: number }[] | null = o.cache ? null : [];
  for (const path of paths) {
    // Without a cache, episodes stay in memory until training ends: LeRobot ones then hold no pixels.
    const reader: EpisodeReader | ReturnType<typeof openDataset> = !o.cache && detectFormat(path) === "lerobot" ? new LeRobotReader(path, undefined, { imagesFromFile: true }) : openDataset(path);
    if (!("episodes" in reader)) throw new Error(`${path} is a LLaVA (VQA) dataset; the VLA trains on robot episodes (LeRobot, RLDS or LIBERO)`);
    for await (const ep of reader.episodes()) {
      if (!ep.states || !ep.stateDim) throw new Error(`${path}: episode ${ep.id} has no state; the action head needs proprioception (observation.state)`);
      if (stateDim < 0) [stateDim, actionDim] = [ep.stateDim, ep.actionDim];
      if (ep.stateDim !== stateDim || ep.actionDim !== actionDim) {
        throw new Error(`${path}: episode ${ep.id} has state/action widths ${ep.stateDim}/${ep.actionDim} but earlier episodes ${stateDim}/${actionDim}; train one robot per run`);
      }
      if (Object.keys(ep.images).length === 0) throw new Error(`${path}: episode ${ep.id} has no camera images`);
      for (let i = 0; i < ep.actions.length; i++) allActions.push(ep.actions[i]);
      const pending: { key: string; input: VlInput }[] = [];
      for (let t = 0; t < ep.steps; t += o.stride) {
        const key = `${resolve(path)}#${ep.id}@${t}`;
        if (sources) sources.push({ ep, t });
        else if (!o.cache!.has(key)) {
          const images = await frameImages(ep, t);
          if (!images) {
            skippedFrames++;
            continue;
          }
          pending.push({ key, input: { images, instruction: ep.instruction } });
        }
        keys.push(key);
        for (let k = 0; k < stateDim; k++) states.push(ep.states[t * stateDim + k]);
        for (let h = 0; h < o.horizon; h++) {
          const s = Math.min(t + h, ep.steps - 1);
          for (let k = 0; k < actionDim; k++) chunks.push(ep.actions[s * actionDim + k]);
        }
      }
      if (pending.length) {
        const backbone = await o.backbone();
        const feats = await backbone.extract(pending.map((p) => p.input));
        pending.forEach((p, i) => o.cache!.put(p.key, feats[i]));
        computed += pending.length;
        o.cache!.flush();
      }
      episodes++;
      o.onEpisode?.(episodes, keys.length);
    }
    for (const k of reader.skips.items) process.stderr.write(`skipped ${k.path} [${k.index}]: ${k.reason}\n`);
  }
  if (!keys.length) throw new Error(`no training frames in ${paths.join(", ")}: check that the folders hold robot episodes`);
  return {
    keys,
    stateDim,
    actionDim,
    horizon: o.horizon,
    states: Float64Array.from(states),
    chunks: Float64Array.from(chunks),
    allActions: Float64Array.from(allActions),
    episodes,
    skippedFrames,
    computed,
    sources,
  };
}
