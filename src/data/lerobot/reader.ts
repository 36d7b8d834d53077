// Reads LeRobot v2.0/v2.1 datasets (layout in ./layout.ts) with hyparquet: one Episode per
// meta/episodes.jsonl line. Image features come from the parquet struct{bytes, path} column
// (decoded lazily); video features from videos/… mp4 through ffmpeg when it is on PATH. With
// `imagesFromFile`, image cells are not kept in memory: each frame is read back from the parquet
// file on demand (only that column and row), so many episodes can be held at once. A simulator
// scene sidecar (./scene.ts), when present, becomes `Episode.scene`.
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { allFinite, cameraStream, type CameraStream, type Episode, type EpisodeReader, firstNonFinite } from "../episode.js";
import { decodeImage, imageSize } from "../image.js";
import { SkipLog } from "../skip.js";
import { sceneFromJson } from "./scene.js";
import { type EpisodeMeta, episodeDataPath, episodeScenePath, episodeVideoPath, IMAGE_PREFIX, type LeRobotInfo, parseJsonl, type TaskMeta } from "./layout.js";
import { decodeVideo, findFfmpeg } from "./video.js";

type Row = Record<string | symbol, unknown>;
/** Where a row sat in the file before sorting by frame_index (for reading single cells back). */
const FILE_ROW = Symbol("fileRow");

export interface LeRobotReaderOptions {
  /** Read image frames from the parquet file when asked for, instead of keeping their bytes. */
  imagesFromFile?: boolean;
}

export class LeRobotReader implements EpisodeReader {
  readonly format = "lerobot" as const;
  constructor(
    readonly path: string,
    readonly skips: SkipLog = new SkipLog(),
    readonly options: LeRobotReaderOptions = {},
  ) {}

  /** meta/info.json, or null (reported) when missing or unsupported. */
  info(): LeRobotInfo | null {
    const p = join(this.path, "meta/info.json");
    if (!existsSync(p)) {
      this.skips.add(this.path, "meta/info.json", "missing meta/info.json (not a LeRobot v2 dataset root)");
      return null;
    }
    try {
      const info = JSON.parse(readFileSync(p, "utf8")) as LeRobotInfo;
      if (!/^v2\./.test(info.codebase_version ?? "")) {
        this.skips.add(p, "codebase_version", `unsupported codebase_version ${info.codebase_version}; this reader follows v2.0/v2.1 (convert with lerobot's conversion scripts)`);
        return null;
      }
      return info;
    } catch (e) {
      this.skips.add(p, "meta/info.json", `malformed JSON (${(e as Error).message})`);
      return null;
    }
  }

  async *episodes(): AsyncGenerator<Episode> {
    const info = this.info();
    if (!info) return;
    const meta = (name: string) => {
      const p = join(this.path, "meta", name);
      return existsSync(p) ? readFileSync(p, "utf8") : "";
    };
    const tasks = new Map(parseJsonl<TaskMeta>(meta("tasks.jsonl"), (l, r) => this.skips.add(join(this.path, "meta/tasks.jsonl"), l, r)).map((t) => [t.task_index, t.task]));
    const episodes = parseJsonl<EpisodeMeta>(meta("episodes.jsonl"), (l, r) => this.skips.add(join(this.path, "meta/episodes.jsonl"), l, r));
    for (const em of episodes) {
      const ep = await this.episode(info, em, tasks);
      if (typeof ep === "string") this.skips.add(episodeDataPath(this.path, info, em.episode_index), em.episode_index, ep);
      else yield ep;
    }
  }

  private async episode(info: LeRobotInfo, em: EpisodeMeta, tasks: Map<number, string>): Promise<Episode | string> {
    const file = episodeDataPath(this.path, info, em.episode_index);
    if (!existsSync(file)) return `missing episode file ${file}`;
    let rows: Row[];
    const imageKeys = Object.entries(info.features).filter(([, f]) => f.dtype === "image").map(([k]) => k);
    const lazy = this.options.imagesFromFile === true && imageKeys.length > 0;
    try {
      if (lazy) {
        const columns = Object.keys(info.features).filter((k) => !imageKeys.includes(k));
        rows = (await parquetReadObjects({ file: await asyncBufferFromFile(file), columns, utf8: false })) as Row[];
      } else {
        const buf = await readFile(file);
        rows = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length), utf8: false })) as Row[];
      }
    } catch (e) {
      return `unreadable parquet (${(e as Error).message}); the file may be truncated — re-download it`;
    }
    if (rows.length === 0) return "episode parquet has no rows";
    rows.forEach((r, i) => (r[FILE_ROW] = i));
    rows.sort((a, b) => Number(a.frame_index ?? 0) - Number(b.frame_index ?? 0));
    const n = rows.length;
    const vec = (key: string): { values: Float64Array; dim: number } | string | null => {
      if (!(key in rows[0])) return null;
      const first = rows[0][key];
      const dim = Array.isArray(first) ? first.length : 1;
      const values = new Float64Array(n * dim);
      for (let t = 0; t < n; t++) {
        const v = rows[t][key];
        const arr = Array.isArray(v) ? v : [v];
        if (arr.length !== dim) return `\`${key}\` has ${arr.length} values at frame ${t}, ${dim} at frame 0`;
        for (let j = 0; j < dim; j++) values[t * dim + j] = arr[j] === null ? NaN : Number(arr[j]);
      }
      return { values, dim };
    };
    const action = vec("action");
    if (action === null) return "no `action` column";
    if (typeof action === "string") return action;
    if (!allFinite(action.values)) return `non-finite action (${firstNonFinite(action.values, action.dim)})`;
    const taskIndex = rows[0].task_index;
    const instruction = (taskIndex !== undefined ? tasks.get(Number(taskIndex)) : undefined) ?? em.tasks?.[0] ?? "";
    const ep: Episode = {
      id: `episode_${String(em.episode_index).padStart(6, "0")}`,
      instruction,
      steps: n,
      actions: action.values,
      actionDim: action.dim,
      images: {},
      source: { format: "lerobot", path: file, index: em.episode_index },
    };
    const state = vec("observation.state");
    if (typeof state === "string") return state;
    if (state) {
      if (!allFinite(state.values)) return `non-finite state (${firstNonFinite(state.values, state.dim)})`;
      Object.assign(ep, { states: state.values, stateDim: state.dim });
      const names = info.features["observation.state"]?.names;
      if (names && !Array.isArray(names)) ep.stateNames = Object.values(names).flat();
    }
    for (const [key, spec] of Object.entries(info.features)) {
      const cam = key.startsWith(IMAGE_PREFIX) ? key.slice(IMAGE_PREFIX.length) : key;
      if (spec.dtype === "image" && lazy) {
        ep.images[cam] = this.imageFromFile(file, key, spec.shape, rows, em.episode_index);
      } else if (spec.dtype === "image") {
        const cs = await this.imageColumn(rows, key, file, em.episode_index);
        if (cs) ep.images[cam] = cs;
      } else if (spec.dtype === "video") {
        const cs = this.videoColumn(info, key, spec.shape, em.episode_index, n);
        if (cs) ep.images[cam] = cs;
      }
    }
    const scenePath = episodeScenePath(this.path, info, em.episode_index);
    if (existsSync(scenePath)) {
      const scene = sceneFromJson(await readFile(scenePath, "utf8"), n);
      if (typeof scene === "string") this.skips.add(scenePath, em.episode_index, `scene ground truth not used: ${scene}`);
      else ep.scene = scene;
    }
    return ep;
  }

  /** Frames read one cell at a time; rows are sorted by frame_index, the file may not be. */
  private imageFromFile(file: string, key: string, shape: number[], rows: Row[], episode: number): CameraStream {
    const fileRow = rows.map((r) => r[FILE_ROW] as number);
    return cameraStream(rows.length, shape[0] ?? 0, shape[1] ?? 0, async (t) => {
      let f: Awaited<ReturnType<typeof decodeImage>>;
      try {
        const r = fileRow[t];
        const [cell] = (await parquetReadObjects({ file: await asyncBufferFromFile(file), columns: [key], rowStart: r, rowEnd: r + 1, utf8: false })) as Row[];
        const c = cell?.[key] as { bytes?: Uint8Array | null; path?: string | null } | null;
        const bytes = c?.bytes?.length ? c.bytes : c?.path && existsSync(join(this.path, c.path)) ? new Uint8Array(await readFile(join(this.path, c.path))) : null;
        f = bytes ? await decodeImage(bytes) : "image cell has neither bytes nor a readable path";
      } catch (e) {
        f = `unreadable image cell (${(e as Error).message})`;
      }
      if (typeof f === "string") {
        this.skips.add(file, `${episode}:${key}#${t}`, f);
        return null;
      }
      return f;
    });
  }

  private async imageColumn(rows: Row[], key: string, file: string, episode: number): Promise<CameraStream | null> {
    if (!(key in rows[0])) {
      this.skips.add(file, `${episode}:${key}`, `image feature \`${key}\` has no parquet column`);
      return null;
    }
    const bytesAt = async (t: number): Promise<Uint8Array | string> => {
      const cell = rows[t][key] as { bytes?: Uint8Array | null; path?: string | null } | null;
      if (cell?.bytes && cell.bytes.length) return cell.bytes;
      if (cell?.path) {
        const p = join(this.path, cell.path);
        return existsSync(p) ? new Uint8Array(await readFile(p)) : `missing image file ${p}`;
      }
      return "image cell has neither bytes nor path";
    };
    const first = await bytesAt(0);
    const size = typeof first === "string" ? null : await imageSize(first);
    return cameraStream(rows.length, size?.height ?? 0, size?.width ?? 0, async (t) => {
      const b = await bytesAt(t);
      const f = typeof b === "string" ? b : await decodeImage(b);
      if (typeof f === "string") {
        this.skips.add(file, `${episode}:${key}#${t}`, f);
        return null;
      }
      return f;
    });
  }

  private videoColumn(info: LeRobotInfo, key: string, shape: number[], episode: number, n: number): CameraStream | null {
    const file = episodeVideoPath(this.path, info, episode, key);
    const where = `${episode}:${key}`;
    if (!file || !existsSync(file)) {
      this.skips.add(file ?? this.path, where, `missing video file ${file ?? "(info.json has no video_path)"}`);
      return null;
    }
    const ffmpeg = findFfmpeg();
    if (!ffmpeg) {
      this.skips.add(file, where, "video feature not decoded: no ffmpeg (install it on PATH, or set ROBOALIGN_FFMPEG to an ffmpeg binary, e.g. the one of `pip install imageio-ffmpeg`)");
      return null;
    }
    const [height, width] = shape;
    let frames: Promise<Uint8Array[] | null> | null = null;
    const all = () =>
      (frames ??= decodeVideo(ffmpeg, file, height, width).catch((e: Error) => {
        this.skips.add(file, where, e.message);
        return null;
      }));
    return cameraStream(n, height, width, async (t) => {
      const f = (await all())?.[t];
      return f ? { height, width, channels: 3, data: f } : null;
    });
  }
}
