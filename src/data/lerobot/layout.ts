// LeRobot dataset layout, codebase_version "v2.1" (huggingface/lerobot,
// lerobot/common/datasets/lerobot_dataset.py and utils.py as of v2.1; v2.0 is the same minus
// meta/episodes_stats.jsonl, which replaced meta/stats.json):
//   meta/info.json            codebase_version, fps, features, data_path / video_path templates,
//                             chunks_size (1000), totals, splits {"train": "0:N"}
//   meta/episodes.jsonl       {"episode_index", "tasks": [text], "length"}
//   meta/tasks.jsonl          {"task_index", "task"}
//   meta/episodes_stats.jsonl {"episode_index", "stats": {feature: {min, max, mean, std, count}}}
//   data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet
//   videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4
//   scene/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.json   (this project's addition:
//                             simulator ground truth, see ./scene.ts; other tools ignore it)
// Parquet columns: one per feature; float vectors are list<float32>, images struct{bytes, path},
// timestamp float32, frame_index / episode_index / index / task_index int64.
import { join } from "node:path";

export const CODEBASE_VERSION = "v2.1";
export const DEFAULT_CHUNKS_SIZE = 1000;
export const DATA_PATH = "data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet";
export const VIDEO_PATH = "videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4";
export const SCENE_PATH = "scene/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.json";
/** LeRobot names camera features `observation.images.<camera>`. */
export const IMAGE_PREFIX = "observation.images.";

export interface FeatureSpec {
  dtype: string;
  shape: number[];
  names: string[] | Record<string, string[]> | null;
  info?: Record<string, unknown>;
}

export interface LeRobotInfo {
  codebase_version: string;
  robot_type: string | null;
  total_episodes: number;
  total_frames: number;
  total_tasks: number;
  total_videos: number;
  total_chunks: number;
  chunks_size: number;
  fps: number;
  splits: Record<string, string>;
  data_path: string;
  video_path: string | null;
  features: Record<string, FeatureSpec>;
}

export interface EpisodeMeta {
  episode_index: number;
  tasks: string[];
  length: number;
}

export interface TaskMeta {
  task_index: number;
  task: string;
}

/** Python str.format for the two templates above: `{name}` and `{name:03d}`. */
export function formatTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)(?::0(\d+)d)?\}/g, (_m, key: string, width?: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`template ${template} needs {${key}}`);
    return width ? String(v).padStart(Number(width), "0") : String(v);
  });
}

export function episodeDataPath(root: string, info: Pick<LeRobotInfo, "data_path" | "chunks_size">, episodeIndex: number): string {
  const episode_chunk = Math.floor(episodeIndex / (info.chunks_size || DEFAULT_CHUNKS_SIZE));
  return join(root, formatTemplate(info.data_path, { episode_chunk, episode_index: episodeIndex }));
}

export function episodeVideoPath(root: string, info: Pick<LeRobotInfo, "video_path" | "chunks_size">, episodeIndex: number, videoKey: string): string | null {
  if (!info.video_path) return null;
  const episode_chunk = Math.floor(episodeIndex / (info.chunks_size || DEFAULT_CHUNKS_SIZE));
  return join(root, formatTemplate(info.video_path, { episode_chunk, episode_index: episodeIndex, video_key: videoKey }));
}

export function episodeScenePath(root: string, info: Pick<LeRobotInfo, "chunks_size">, episodeIndex: number): string {
  const episode_chunk = Math.floor(episodeIndex / (info.chunks_size || DEFAULT_CHUNKS_SIZE));
  return join(root, formatTemplate(SCENE_PATH, { episode_chunk, episode_index: episodeIndex }));
}

/** Parses a JSON-lines file's text, reporting bad lines to `bad` (1-based line numbers). */
export function parseJsonl<T>(text: string, bad: (line: number, reason: string) => void): T[] {
  const out: T[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (e) {
      bad(i + 1, `malformed JSON line (${(e as Error).message})`);
    }
  });
  return out;
}
