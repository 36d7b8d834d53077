// LIBERO demonstrations (github.com/Lifelong-Robot-Learning/LIBERO, robomimic HDF5 layout):
// `data/demo_N/actions` [T×7], `data/demo_N/obs/{agentview_rgb,eye_in_hand_rgb}` [T×H×W×3] uint8,
// `obs/ee_states` [T×6], `obs/gripper_states` [T×2], `obs/joint_states` [T×7], `dones`;
// the instruction is `data.attrs.problem_info` JSON's `language_instruction`, else the file name
// (`KITCHEN_SCENE3_turn_on_the_stove_demo.hdf5` → "turn on the stove"). Read with h5wasm.
import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import h5wasm from "h5wasm/node";
import { allFinite, cameraStream, type CameraStream, type Episode, type EpisodeReader, firstNonFinite } from "../episode.js";
import { SkipLog } from "../skip.js";

/** State parts concatenated (in this order, when present) into `Episode.states`. */
export const LIBERO_STATE_KEYS = ["ee_states", "gripper_states", "joint_states"];
const CAMERAS = ["agentview_rgb", "eye_in_hand_rgb"];

type H5File = InstanceType<typeof h5wasm.File>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

export function liberoFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.(hdf5|h5)$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

/** "LIVING_ROOM_SCENE2_pick_up_the_ketchup_demo.hdf5" → "pick up the ketchup". */
export function instructionFromFileName(file: string): string {
  const stem = basename(file).replace(/\.(hdf5|h5)$/, "").replace(/_demo$/, "");
  const words = stem.split("_");
  // LIBERO prefixes the task with an upper-case scene name (KITCHEN_SCENE3, LIVING_ROOM_SCENE1).
  let i = 0;
  while (i < words.length && /^[A-Z0-9]+$/.test(words[i])) i++;
  return words.slice(i).join(" ");
}

function instructionOf(f: H5File, file: string): string {
  const data = f.get("data");
  try {
    const attrs = (data as { attrs?: Record<string, { value: unknown }> } | null)?.attrs ?? {};
    const raw = attrs.problem_info?.value;
    if (typeof raw === "string") {
      const text = (JSON.parse(raw) as { language_instruction?: unknown }).language_instruction;
      if (typeof text === "string" && text) return text.trim();
    }
    const direct = attrs.language_instruction?.value;
    if (typeof direct === "string" && direct) return direct;
  } catch {
    // A malformed problem_info falls back to the file name, which LIBERO derives from the task.
  }
  return instructionFromFileName(file);
}

function dataset(f: H5File, path: string): H5Dataset | null {
  const d = f.get(path);
  return d instanceof h5wasm.Dataset ? d : null;
}

function numeric(d: H5Dataset): { values: Float64Array; rows: number; dim: number } {
  const shape = d.shape ?? [];
  const rows = shape[0] ?? 0;
  const dim = shape.slice(1).reduce((a, b) => a * b, 1);
  return { values: Float64Array.from(d.value as ArrayLike<number>), rows, dim };
}

/** Tracks whether the reader has closed a file, so late frame reads reopen it. */
interface OpenFile {
  file: string;
  handle: H5File;
  closed: boolean;
}

function camera(d: H5Dataset, of: OpenFile, path: string): CameraStream {
  const [count, height, width, channels] = d.shape ?? [0, 0, 0, 3];
  // One frame per slice read: pixels come off disk only when a frame is asked for. A frame asked
  // for after the reader moved on to the next file reopens this one for the read.
  return cameraStream(count, height, width, async (i) => {
    const read = (ds: H5Dataset) => ({ height, width, channels: channels ?? 3, data: Uint8Array.from(ds.slice([[i, i + 1]]) as Uint8Array) });
    if (!of.closed) return read(d);
    const f = new h5wasm.File(of.file, "r");
    try {
      return read(f.get(path) as H5Dataset);
    } finally {
      f.close();
    }
  });
}

export class LiberoReader implements EpisodeReader {
  readonly format = "libero" as const;
  constructor(
    readonly path: string,
    readonly skips: SkipLog = new SkipLog(),
  ) {}

  async *episodes(): AsyncGenerator<Episode> {
    await h5wasm.ready;
    for (const file of liberoFiles(this.path)) {
      let f: H5File;
      try {
        f = new h5wasm.File(file, "r");
      } catch (e) {
        this.skips.add(file, "file", `not a readable HDF5 file (${(e as Error).message}); re-download it`);
        continue;
      }
      const of: OpenFile = { file, handle: f, closed: false };
      try {
        yield* this.fileEpisodes(of);
      } finally {
        of.closed = true;
        f.close();
      }
    }
  }

  private *fileEpisodes(of: OpenFile): Generator<Episode> {
    const { handle: f, file } = of;
    const data = f.get("data");
    if (!(data instanceof h5wasm.Group)) {
      this.skips.add(file, "data", "no `data` group (expected a LIBERO/robomimic demo file)");
      return;
    }
    const instruction = instructionOf(f, file);
    // demo_N sorted by N, not lexically (demo_10 after demo_9).
    const demos = data.keys().filter((k) => /^demo_\d+$/.test(k)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
    for (const demo of demos) {
      const ep = this.demo(of, demo, instruction);
      if (typeof ep === "string") this.skips.add(file, demo, ep);
      else yield ep;
    }
  }

  private demo(of: OpenFile, demo: string, instruction: string): Episode | string {
    const { handle: f, file } = of;
    const base = `data/${demo}`;
    const act = dataset(f, `${base}/actions`);
    if (!act) return `missing dataset \`${base}/actions\``;
    const a = numeric(act);
    if (a.rows === 0) return `empty dataset \`${base}/actions\``;
    if (!allFinite(a.values)) return `non-finite action (${firstNonFinite(a.values, a.dim)})`;
    const ep: Episode = { id: demo, instruction, steps: a.rows, actions: a.values, actionDim: a.dim, images: {}, source: { format: "libero", path: file, index: demo } };
    const parts: { name: string; v: ReturnType<typeof numeric> }[] = [];
    for (const k of LIBERO_STATE_KEYS) {
      const d = dataset(f, `${base}/obs/${k}`);
      if (!d) continue;
      const v = numeric(d);
      if (v.rows !== a.rows) return `\`${base}/obs/${k}\` has ${v.rows} rows, actions have ${a.rows}`;
      parts.push({ name: k, v });
    }
    if (parts.length) {
      const dim = parts.reduce((s, p) => s + p.v.dim, 0);
      const states = new Float64Array(a.rows * dim);
      for (let t = 0, o = 0; t < a.rows; t++)
        for (const p of parts) for (let j = 0; j < p.v.dim; j++) states[o++] = p.v.values[t * p.v.dim + j];
      if (!allFinite(states)) return `non-finite state (${firstNonFinite(states, dim)})`;
      Object.assign(ep, { states, stateDim: dim, stateNames: parts.map((p) => p.name) });
    }
    for (const cam of CAMERAS) {
      const d = dataset(f, `${base}/obs/${cam}`);
      if (!d) continue;
      const shape = d.shape ?? [];
      if (shape.length !== 4 || shape[0] !== a.rows) return `\`${base}/obs/${cam}\` has shape [${shape}], expected [${a.rows}, H, W, 3]`;
      ep.images[cam] = camera(d, of, `${base}/obs/${cam}`);
    }
    const dones = dataset(f, `${base}/dones`);
    if (dones) {
      const v = dones.value as ArrayLike<number>;
      if (v.length) ep.success = Number(v[v.length - 1]) === 1;
    }
    return ep;
  }
}
