// The one episode shape every robot-dataset reader (LeRobot v2, RLDS TFRecord, LIBERO HDF5)
// produces. Episodes stream (readers are async iterables) and camera frames decode lazily, so a
// reader never holds more than one episode's numeric arrays and no pixels it was not asked for.
import type { SkipLog } from "./skip.js";

export type DataFormat = "lerobot" | "rlds" | "libero" | "llava";

/** A decoded image: row-major H×W×C uint8 (C = 3, RGB). */
export interface Frame {
  height: number;
  width: number;
  channels: number;
  data: Uint8Array;
}

/**
 * One camera's frames. `frame(i)` decodes on demand and returns null for an undecodable frame,
 * which it reports to the reader's SkipLog (so a bad JPEG costs one frame, not the run).
 */
export interface CameraStream {
  /** Frame count (equals the episode's `steps`). */
  count: number;
  /** Frame size when known without decoding (HDF5 shape, info.json, image header); else 0. */
  height: number;
  width: number;
  frame(i: number): Promise<Frame | null>;
  frames(): AsyncIterable<Frame | null>;
}

export interface Episode {
  /** Stable id within the dataset (e.g. `episode_000003`, `demo_2`, `bridge.tfrecord#5`). */
  id: string;
  instruction: string;
  steps: number;
  /** [steps × actionDim] row-major. */
  actions: Float64Array;
  actionDim: number;
  /** [steps × stateDim] row-major proprioception, when the dataset has it. */
  states?: Float64Array;
  stateDim?: number;
  /** Which source fields were concatenated into `states`, in order. */
  stateNames?: string[];
  images: Record<string, CameraStream>;
  success?: boolean;
  /**
   * Ground truth of a simulated scene (objects, their poses per step, cameras), recorded by the
   * embedded simulator; absent for real-robot datasets, which then yield no spatial samples.
   */
  scene?: SceneTruth;
  /** Where it came from; "sim" for episodes recorded from the embedded simulator. */
  source: { format: DataFormat | "sim"; path: string; index: number | string };
}

/** Shape of an object for projection: a box (half extents) or an upright cylinder. */
export type ObjectShape = { type: "box"; half: [number, number, number] } | { type: "cylinder"; radius: number; halfHeight: number };

/** One object of a recorded scene. Its pose's origin is the centre of its base (bottom face). */
export interface SceneObject {
  name: string;
  kind: string;
  color: string;
  shape: ObjectShape;
}

/**
 * A pinhole camera as src/sim/render.ts renders it: vertical field of view, resolution, and its
 * pose per step (pos, forward, up: 9 numbers). A fixed camera stores one pose.
 */
export interface CameraModel {
  width: number;
  height: number;
  fovyDeg: number;
  /** [1 × 9] for a fixed camera, else [steps × 9]. */
  poses: Float64Array;
}

/** One step of the task's plan (the scripted expert's ops): move `obj` onto/into `target`, lift it, or open/close its drawer. */
export interface PlanStep {
  op: "place" | "lift" | "open" | "close";
  obj: string;
  target?: string;
  /** "on" or "in" for place ops (how the goal predicate relates obj and target). */
  relation?: "on" | "in";
}

export interface SceneTruth {
  objects: SceneObject[];
  /** [steps × objects × 3] base positions (m, world frame: +x away from the robot, +y right of image, +z up). */
  objectPositions: Float64Array;
  /** [steps × objects × 4] orientations (w, x, y, z). */
  objectQuats: Float64Array;
  /** Camera name (as in `images`) → model. */
  cameras: Record<string, CameraModel>;
  /** The task's plan, when known. */
  plan?: PlanStep[];
  /** [steps × plan.length]: 1 where plan step k's goal predicate held at that step. */
  planDone?: Uint8Array;
}

/** What every robot-episode reader offers. */
export interface EpisodeReader {
  readonly format: DataFormat;
  readonly path: string;
  readonly skips: SkipLog;
  episodes(): AsyncIterable<Episode>;
}

/** True when every value is finite; readers skip episodes with NaN/Inf actions or states. */
export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Index of the first non-finite value, for the skip reason. */
export function firstNonFinite(a: ArrayLike<number>, dim: number): string {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return `step ${Math.floor(i / dim)}, dim ${i % dim} = ${a[i]}`;
  return "none";
}

/** A CameraStream over frames produced by `get(i)`; `frames()` is the in-order iteration. */
export function cameraStream(count: number, height: number, width: number, get: (i: number) => Promise<Frame | null>): CameraStream {
  return {
    count,
    height,
    width,
    frame: get,
    async *frames() {
      for (let i = 0; i < count; i++) yield await get(i);
    },
  };
}
