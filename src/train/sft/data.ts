// What Stage 1 trains on: the mixture's sources (restricted to `kinds` when given) with their
// per-epoch counts, and held-out FAST action QA samples from separate episodes.
import { loadMixture } from "../../data/mixture/load.js";
import { sampleCounts, type SourceKind } from "../../data/mixture/config.js";
import { loadEpisodes, resolveMixture, selectKinds } from "../../data/sources/resolve.js";
import { embeddedSource } from "../../data/sources/catalog.js";
import type { Episode } from "../../data/episode.js";
import type { Workspace } from "../model-workspace.js";
import type { SftConfig } from "./config.js";
import type { SftData } from "./trainer.js";
import { evenlySpaced } from "../../util/arrays.js";

async function episodesOf(dirs: string[]): Promise<Episode[]> {
  const out: Episode[] = [];
  for (const d of dirs) out.push(...(await loadEpisodes(d)));
  return out;
}

export async function sftData(config: SftConfig, ws: Workspace): Promise<SftData> {
  let mixture = loadMixture(config.mixture);
  if (config.kinds.length) mixture = selectKinds(mixture, config.kinds as SourceKind[]);
  const episodes = config.episodes.length ? await episodesOf(config.episodes) : undefined;
  const sources = await resolveMixture(mixture, { episodes, codec: ws.codec, horizon: config.actionHorizon, image: ws.imageOptions });
  const counts = sampleCounts(mixture);
  let heldout: SftData["heldout"] = [];
  if (config.heldoutEpisodes.length && config.heldoutSamples > 0) {
    const src = embeddedSource("sim-fast-action", { episodes: await episodesOf(config.heldoutEpisodes), codec: ws.codec, horizon: config.actionHorizon, image: ws.imageOptions, seed: 7 });
    heldout = await Promise.all(evenlySpaced(src.size, config.heldoutSamples).map((i) => src.get(i)));
  }
  return { sources, counts: mixture.sources.map((s) => counts.get(s.name) ?? 0), heldout };
}
