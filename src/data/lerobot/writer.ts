// Writes episodes in the LeRobot v2.1 layout (see ./layout.ts) with hyparquet-writer, images
// embedded as PNG (struct{bytes, path}, LeRobot's `image` dtype; no videos). Resumable: each
// episode's parquet (and its simulator scene sidecar, ./scene.ts) is written under a temporary name and renamed; meta/ is rewritten (also via
// rename) only after that, so an episode counts as finished exactly when meta/episodes.jsonl
// lists it, and a re-run skips it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { Episode } from "../episode.js";
import { encodePng } from "../image.js";
import {
  CODEBASE_VERSION,
  DATA_PATH,
  DEFAULT_CHUNKS_SIZE,
  type EpisodeMeta,
  episodeDataPath,
  episodeScenePath,
  type FeatureSpec,
  IMAGE_PREFIX,
  type LeRobotInfo,
  parseJsonl,
  type TaskMeta,
} from "./layout.js";
import { sceneToJson } from "./scene.js";
import { type FeatureStats, ImageStats, vectorStats } from "./stats.js";

export interface LeRobotWriterOptions {
  fps: number;
  robotType?: string | null;
  chunksSize?: number;
}

/** Writes `text` to `path` through a temporary file and a rename (atomic on one filesystem). */
function writeAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const jsonl = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : "");

export class LeRobotWriter {
  private episodes = new Map<number, EpisodeMeta>();
  private stats = new Map<number, Record<string, FeatureStats>>();
  private tasks: TaskMeta[] = [];

  private constructor(
    readonly root: string,
    private info: LeRobotInfo,
  ) {}

  /** Opens `root` for writing; an existing dataset there is resumed (its fps must match). */
  static open(root: string, options: LeRobotWriterOptions): LeRobotWriter {
    const infoPath = join(root, "meta/info.json");
    if (existsSync(infoPath)) {
      const info = JSON.parse(readFileSync(infoPath, "utf8")) as LeRobotInfo;
      if (info.fps !== options.fps) throw new Error(`${root} holds a dataset at ${info.fps} fps, not ${options.fps}; write to a new folder or pass --fps ${info.fps}`);
      const w = new LeRobotWriter(root, info);
      const read = <T>(name: string): T[] => {
        const p = join(root, "meta", name);
        return existsSync(p) ? parseJsonl<T>(readFileSync(p, "utf8"), () => {}) : [];
      };
      for (const e of read<EpisodeMeta>("episodes.jsonl")) if (existsSync(episodeDataPath(root, info, e.episode_index))) w.episodes.set(e.episode_index, e);
      for (const s of read<{ episode_index: number; stats: Record<string, FeatureStats> }>("episodes_stats.jsonl")) w.stats.set(s.episode_index, s.stats);
      w.tasks = read<TaskMeta>("tasks.jsonl");
      return w;
    }
    return new LeRobotWriter(root, {
      codebase_version: CODEBASE_VERSION,
      robot_type: options.robotType ?? null,
      total_episodes: 0,
      total_frames: 0,
      total_tasks: 0,
      total_videos: 0,
      total_chunks: 0,
      chunks_size: options.chunksSize ?? DEFAULT_CHUNKS_SIZE,
      fps: options.fps,
      splits: {},
      data_path: DATA_PATH,
      video_path: null,
      features: {},
    });
  }

  /** True when episode `index` is already written (listed in meta/episodes.jsonl). */
  has(index: number): boolean {
    return this.episodes.has(index);
  }

  get finished(): number[] {
    return [...this.episodes.keys()].sort((a, b) => a - b);
  }

  /** Writes `ep` as episode `index`; returns "skipped" when a previous run finished it. */
  async writeEpisode(index: number, ep: Episode): Promise<"written" | "skipped"> {
    if (this.has(index)) return "skipped";
    const features = this.featuresFor(ep);
    let taskIndex = this.tasks.findIndex((t) => t.task === ep.instruction);
    if (taskIndex < 0) {
      taskIndex = this.tasks.length;
      this.tasks.push({ task_index: taskIndex, task: ep.instruction });
    }
    // `index` is the dataset-wide frame index: the frames of all lower-numbered episodes first.
    const start = [...this.episodes.values()].filter((e) => e.episode_index < index).reduce((s, e) => s + e.length, 0);
    const n = ep.steps;
    const rows = (a: Float64Array, d: number) => Array.from({ length: n }, (_, t) => Array.from(a.subarray(t * d, (t + 1) * d)));
    const seq = (f: (t: number) => number | bigint) => Array.from({ length: n }, (_, t) => f(t));
    const columns: { name: string; data: unknown[] }[] = [{ name: "action", data: rows(ep.actions, ep.actionDim) }];
    if (ep.states && ep.stateDim) columns.push({ name: "observation.state", data: rows(ep.states, ep.stateDim) });
    const stats: Record<string, FeatureStats> = { action: vectorStats(f32(ep.actions), n, ep.actionDim) };
    if (ep.states && ep.stateDim) stats["observation.state"] = vectorStats(f32(ep.states), n, ep.stateDim);
    for (const cam of Object.keys(ep.images).sort()) {
      const key = IMAGE_PREFIX + cam;
      const imgStats = new ImageStats();
      const data: unknown[] = [];
      for (let t = 0; t < n; t++) {
        const frame = await ep.images[cam].frame(t);
        if (!frame) throw new Error(`episode ${ep.id}: camera ${cam} frame ${t} could not be decoded; fix or drop the episode before writing`);
        imgStats.add(frame.data, frame.channels);
        data.push({ bytes: await encodePng(frame), path: null });
      }
      columns.push({ name: key, data });
      const s = imgStats.result();
      if (s) stats[key] = s;
    }
    const timestamps = seq((t) => Math.fround(t / this.info.fps));
    columns.push(
      { name: "timestamp", data: timestamps },
      { name: "frame_index", data: seq((t) => BigInt(t)) },
      { name: "episode_index", data: seq(() => BigInt(index)) },
      { name: "index", data: seq((t) => BigInt(start + t)) },
      { name: "task_index", data: seq(() => BigInt(taskIndex)) },
    );
    stats.timestamp = vectorStats(timestamps as number[], n, 1);
    stats.frame_index = vectorStats(seq((t) => t) as number[], n, 1);
    stats.episode_index = vectorStats(seq(() => index) as number[], n, 1);
    stats.index = vectorStats(seq((t) => start + t) as number[], n, 1);
    stats.task_index = vectorStats(seq(() => taskIndex) as number[], n, 1);

    // The scene sidecar goes first: the episode only counts once its parquet and meta line exist.
    if (ep.scene) writeAtomic(episodeScenePath(this.root, this.info, index), sceneToJson(ep.scene, n));
    const buf = parquetWriteBuffer({ columnData: columns.map((c) => ({ name: c.name, data: c.data })), schema: parquetSchema(columns.map((c) => c.name), features) } as Parameters<typeof parquetWriteBuffer>[0]);
    writeAtomic(episodeDataPath(this.root, this.info, index), new Uint8Array(buf));
    this.episodes.set(index, { episode_index: index, tasks: [ep.instruction], length: n });
    this.stats.set(index, stats);
    this.writeMeta();
    return "written";
  }

  /** Fixes the feature set from the first episode; later episodes must match it. */
  private featuresFor(ep: Episode): Record<string, FeatureSpec> {
    const want: Record<string, FeatureSpec> = { action: { dtype: "float32", shape: [ep.actionDim], names: null } };
    if (ep.states && ep.stateDim) want["observation.state"] = { dtype: "float32", shape: [ep.stateDim], names: ep.stateNames ? { motors: ep.stateNames } : null };
    for (const cam of Object.keys(ep.images).sort()) {
      const c = ep.images[cam];
      want[IMAGE_PREFIX + cam] = { dtype: "image", shape: [c.height, c.width, 3], names: ["height", "width", "channel"] };
    }
    for (const k of ["timestamp"]) want[k] = { dtype: "float32", shape: [1], names: null };
    for (const k of ["frame_index", "episode_index", "index", "task_index"]) want[k] = { dtype: "int64", shape: [1], names: null };
    if (Object.keys(this.info.features).length === 0) this.info.features = want;
    const have = this.info.features;
    const sig = (f: Record<string, FeatureSpec>) => JSON.stringify(Object.entries(f).map(([k, v]) => [k, v.dtype, v.shape]).sort());
    if (sig(have) !== sig(want)) throw new Error(`episode ${ep.id} has features ${sig(want)}, the dataset has ${sig(have)}; write it to a separate dataset`);
    return have;
  }

  private writeMeta(): void {
    const eps = [...this.episodes.values()].sort((a, b) => a.episode_index - b.episode_index);
    const total = eps.length;
    const maxIndex = eps.length ? eps[eps.length - 1].episode_index : -1;
    Object.assign(this.info, {
      total_episodes: total,
      total_frames: eps.reduce((s, e) => s + e.length, 0),
      total_tasks: this.tasks.length,
      total_chunks: Math.floor(maxIndex / this.info.chunks_size) + 1,
      splits: { train: `0:${total}` },
    });
    writeAtomic(join(this.root, "meta/tasks.jsonl"), jsonl(this.tasks));
    writeAtomic(join(this.root, "meta/episodes.jsonl"), jsonl(eps));
    writeAtomic(join(this.root, "meta/episodes_stats.jsonl"), jsonl(eps.map((e) => ({ episode_index: e.episode_index, stats: this.stats.get(e.episode_index) ?? {} }))));
    // info.json last: its totals describe only episodes whose files and lines are in place.
    writeAtomic(join(this.root, "meta/info.json"), JSON.stringify(this.info, null, 4) + "\n");
  }
}

const f32 = (a: Float64Array): Float32Array => Float32Array.from(a);

/** Parquet schema for the columns, matching what HF datasets writes for LeRobot features. */
function parquetSchema(names: string[], features: Record<string, FeatureSpec>): unknown[] {
  const out: unknown[] = [{ name: "schema", num_children: names.length }];
  for (const name of names) {
    const f = features[name];
    if (f.dtype === "image") {
      out.push({ name, repetition_type: "OPTIONAL", num_children: 2 }, { name: "bytes", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" }, { name: "path", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" });
    } else if (f.dtype === "float32" && name !== "timestamp") {
      out.push({ name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 }, { name: "list", repetition_type: "REPEATED", num_children: 1 }, { name: "element", type: "FLOAT", repetition_type: "OPTIONAL" });
    } else {
      out.push({ name, type: f.dtype === "int64" ? "INT64" : "FLOAT", repetition_type: "OPTIONAL" });
    }
  }
  return out;
}
