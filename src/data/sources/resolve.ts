// A mixture config → one SampleSource per config source, in config order (the order
// MixtureSchedule's draws index). Embedded sources are generated from simulator episodes (a list
// or a LeRobot folder written by `roboalign sim generate`); LLaVA sources read their JSON(L).
import { existsSync } from "node:fs";
import type { FastCodec } from "../../fast/codec.js";
import type { ImageProcessorOptions } from "../../vision/processor-config.js";
import type { MixtureConfig, MixtureSource, SourceKind } from "../mixture/config.js";
import type { Episode } from "../episode.js";
import { LeRobotReader } from "../lerobot/reader.js";
import { SkipLog } from "../skip.js";
import { embeddedSource, type SampleSource } from "./catalog.js";
import { LlavaSource } from "./llava-source.js";

export interface ResolveContext {
  /** Simulator episodes for embedded sources, or a LeRobot dataset folder holding them. */
  episodes?: readonly Episode[] | string;
  codec?: FastCodec;
  horizon?: number;
  image?: Partial<ImageProcessorOptions>;
  /** Folder LLaVA image paths are relative to (default: next to each file). */
  imageFolder?: string;
  /** Skips met while reading episodes are reported here. */
  skips?: SkipLog;
}

/**
 * Episodes of a LeRobot folder with numeric arrays and scene ground truth in memory and image
 * frames read back from the parquet files on demand.
 */
export async function loadEpisodes(dir: string, skips = new SkipLog()): Promise<Episode[]> {
  if (!existsSync(dir)) throw new Error(`episodes folder ${dir} does not exist; record one with \`roboalign sim generate --suite goal --out ${dir}\``);
  const out: Episode[] = [];
  for await (const ep of new LeRobotReader(dir, skips, { imagesFromFile: true }).episodes()) out.push(ep);
  if (out.length === 0) throw new Error(`${dir} holds no readable episodes${skips.count ? ` (${skips.count} skipped: ${skips.items[0].reason})` : ""}`);
  return out;
}

/** Keeps the sources of the given kinds (e.g. the base stage's general-vqa + embodied-vqa). */
export function selectKinds(config: MixtureConfig, kinds: readonly SourceKind[]): MixtureConfig {
  const sources = config.sources.filter((s) => kinds.includes(s.kind));
  if (sources.length === 0) throw new Error(`mixture "${config.name}" has no source of kind ${kinds.join(" or ")}`);
  return { ...config, sources };
}

function withKind(s: SampleSource, src: MixtureSource): SampleSource {
  // The config's name and kind win: the same generator can serve under another name.
  return { name: src.name, kind: src.kind, get size() { return s.size; }, get: (i) => s.get(i).then((x) => ({ ...x, source: src.name })) };
}

export async function resolveMixture(config: MixtureConfig, ctx: ResolveContext = {}): Promise<SampleSource[]> {
  let episodes: readonly Episode[] | undefined;
  const needEpisodes = async (src: MixtureSource): Promise<readonly Episode[]> => {
    if (episodes) return episodes;
    if (ctx.episodes === undefined) throw new Error(`embedded source "${src.name}" needs simulator episodes: record them with \`roboalign sim generate --suite goal --out DIR\` and pass that folder (--episodes DIR)`);
    episodes = typeof ctx.episodes === "string" ? await loadEpisodes(ctx.episodes, ctx.skips) : ctx.episodes;
    return episodes;
  };
  const out: SampleSource[] = [];
  for (const src of config.sources) {
    let s: SampleSource;
    if (src.format === "embedded") {
      s = embeddedSource(src.name, { episodes: await needEpisodes(src), codec: ctx.codec, horizon: ctx.horizon, image: ctx.image, seed: config.seed });
    } else if (src.format === "llava") {
      s = await LlavaSource.open(src.name, src.kind, src.path!, ctx.imageFolder);
    } else {
      throw new Error(`source "${src.name}": format ${src.format} is not supported as a sample source yet; use "embedded" (simulator episodes) or "llava" (JSON/JSONL conversations), or convert the dataset to LLaVA JSON`);
    }
    if (s.size === 0) throw new Error(`source "${src.name}" produced no samples from the given episodes (do they carry scene ground truth? re-record them with \`roboalign sim generate\`)`);
    out.push(withKind(s, src));
  }
  return out;
}
