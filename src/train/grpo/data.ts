// The GRPO prompt set from robot episodes (RoboAlign §4.2): at every `stride`-th step, the
// camera frame with the RL system prompt and the Figure 5 prompt, and the FAST ids of the next
// action chunk as the accuracy target. Indexed lazily: frames are decoded only on `get`.
import type { Episode } from "../../data/episode.js";
import { loadEpisodes } from "../../data/sources/resolve.js";
import { rlPrompts } from "../../data/sources/episode-sources.js";
import { episodeFrom } from "../../data/sources/episode-steps.js";
import type { FastCodec } from "../../fast/codec.js";
import type { RlPromptLike } from "./trainer.js";
import { evenlySpaced } from "../../util/arrays.js";

export interface RlPromptSet {
  size: number;
  get(index: number): Promise<RlPromptLike>;
}

export function rlPromptSet(episodes: readonly Episode[], codec: FastCodec, horizon: number, stride = 1, camera = "image"): RlPromptSet {
  const entries: [number, number][] = [];
  episodes.forEach((ep, e) => {
    if (!ep.images[camera]) return;
    for (let t = 0; t < ep.steps; t += stride) entries.push([e, t]);
  });
  return {
    size: entries.length,
    async get(i) {
      const [e, t] = entries[i];
      const view = episodeFrom(episodes[e], t);
      const [p] = await rlPrompts(view, { codec, horizon, camera, stride: view.steps });
      return p;
    },
  };
}

export async function rlPromptSetFromDirs(dirs: string[], codec: FastCodec, horizon: number, stride = 1): Promise<RlPromptSet> {
  const episodes: Episode[] = [];
  for (const d of dirs) episodes.push(...(await loadEpisodes(d)));
  return rlPromptSet(episodes, codec, horizon, stride);
}

/** `count` prompts spread evenly over the set (held-out evaluation). */
export async function spreadPrompts(set: RlPromptSet, count: number): Promise<RlPromptLike[]> {
  return Promise.all(evenlySpaced(set.size, count).map((i) => set.get(i)));
}

/** Training prompts and held-out prompts of a GRPO config. */
export async function grpoData(config: { prompts: string[]; heldoutPrompts: string[]; heldoutCount: number; actionHorizon: number }, codec: FastCodec) {
  if (!config.prompts.length) throw new Error("no RL prompts: set --prompts to LeRobot episode folders (e.g. from `roboalign sim generate`)");
  const prompts = await rlPromptSetFromDirs(config.prompts, codec, config.actionHorizon);
  const heldout = config.heldoutPrompts.length && config.heldoutCount > 0
    ? await spreadPrompts(await rlPromptSetFromDirs(config.heldoutPrompts, codec, config.actionHorizon), config.heldoutCount)
    : [];
  return { prompts, heldout };
}
