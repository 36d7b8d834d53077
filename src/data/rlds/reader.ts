// RLDS episodes as Open X-Embodiment / BridgeV2 store them (tfds TFRecord shards): one
// tf.train.Example per episode whose step features are flattened and stacked across steps:
// `steps/action` (steps×D floats), `steps/observation/state`, `steps/observation/image_*`
// (one JPEG per step), `steps/language_instruction`, `steps/is_first|is_last|is_terminal`,
// `episode_metadata/*`. Dict actions (OXE `steps/action/world_vector` …) are concatenated in
// key order. See github.com/google-research/rlds and the OXE dataset spreadsheet.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { allFinite, cameraStream, type CameraStream, type Episode, type EpisodeReader, firstNonFinite } from "../episode.js";
import { decodeImage, imageSize } from "../image.js";
import { SkipLog } from "../skip.js";
import { decodeExample, type FeatureValue } from "./example.js";
import { readTfRecords } from "./tfrecord.js";

const STATE_KEYS = ["steps/observation/state", "steps/observation/proprio"];
const INSTRUCTION_KEYS = ["steps/language_instruction", "steps/observation/natural_language_instruction", "episode_metadata/language_instruction"];

/** TFRecord files under `path` (a file, or a directory of `*.tfrecord*` shards, sorted). */
export function tfrecordFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.tfrecord/.test(f) || /-of-\d+$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

const utf8 = new TextDecoder();

function floats(f: FeatureValue | undefined): number[] | null {
  return f && (f.kind === "float" || f.kind === "int64") ? (f.value as number[]) : null;
}

/** Maps one decoded Example to an Episode, or returns why it cannot be one. */
export async function rldsEpisode(
  features: Map<string, FeatureValue>,
  file: string,
  index: number,
  skips: SkipLog,
): Promise<Episode | string> {
  const steps = stepCount(features);
  if (steps <= 0) return "episode has no steps (empty `steps/is_first`, `steps/reward` and `steps/language_instruction`)";
  let action = floats(features.get("steps/action"));
  if (!action) {
    // OXE dict actions: per-key [steps×d_k] blocks, concatenated per step in key order.
    const parts = [...features.keys()].filter((k) => k.startsWith("steps/action/")).sort();
    if (parts.length) action = interleave(parts.map((k) => floats(features.get(k)) ?? []), steps);
  }
  if (!action) return "no `steps/action` feature (expected an RLDS episode flattened into a tf.train.Example)";
  if (action.length % steps !== 0) return `steps/action has ${action.length} values, not a multiple of ${steps} steps`;
  const actionDim = action.length / steps;
  const actions = Float64Array.from(action);
  if (!allFinite(actions)) return `non-finite action (${firstNonFinite(actions, actionDim)})`;

  const ep: Episode = { id: `${file.split("/").pop()}#${index}`, instruction: "", steps, actions, actionDim, images: {}, source: { format: "rlds", path: file, index } };
  for (const k of STATE_KEYS) {
    const s = floats(features.get(k));
    if (s && s.length > 0 && s.length % steps === 0) {
      ep.states = Float64Array.from(s);
      ep.stateDim = s.length / steps;
      ep.stateNames = [k];
      if (!allFinite(ep.states)) return `non-finite state (${firstNonFinite(ep.states, ep.stateDim)})`;
      break;
    }
  }
  for (const k of INSTRUCTION_KEYS) {
    const f = features.get(k);
    if (f?.kind === "bytes") {
      const text = f.value.map((b) => utf8.decode(b)).find((t) => t.length > 0);
      if (text) {
        ep.instruction = text;
        break;
      }
    }
  }
  const terminal = floats(features.get("steps/is_terminal"));
  if (terminal && terminal.length === steps) ep.success = terminal[steps - 1] === 1;
  for (const [k, f] of features) {
    const m = /^steps\/observation\/(.+)$/.exec(k);
    if (!m || f.kind !== "bytes" || f.value.length !== steps) continue;
    ep.images[m[1]] = await imageCamera(f.value, file, `${index}:${m[1]}`, skips);
  }
  return ep;
}

function stepCount(features: Map<string, FeatureValue>): number {
  for (const k of ["steps/is_first", "steps/is_last", "steps/reward", "steps/language_instruction"]) {
    const f = features.get(k);
    if (f && f.value.length > 0) return f.value.length;
  }
  return -1;
}

/** [k][steps×d_k] blocks → [steps×Σd_k] rows. */
function interleave(blocks: number[][], steps: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < steps; t++)
    for (const b of blocks) {
      const d = b.length / steps;
      for (let j = 0; j < d; j++) out.push(b[t * d + j]);
    }
  return out;
}

async function imageCamera(bytes: Uint8Array[], file: string, where: string, skips: SkipLog): Promise<CameraStream> {
  const size = (await imageSize(bytes[0])) ?? { height: 0, width: 0 };
  return cameraStream(bytes.length, size.height, size.width, async (i) => {
    const f = await decodeImage(bytes[i]);
    if (typeof f === "string") {
      skips.add(file, `${where}#${i}`, f);
      return null;
    }
    return f;
  });
}

export class RldsReader implements EpisodeReader {
  readonly format = "rlds" as const;
  constructor(
    readonly path: string,
    readonly skips: SkipLog = new SkipLog(),
  ) {}

  async *episodes(): AsyncGenerator<Episode> {
    for (const file of tfrecordFiles(this.path)) {
      for await (const rec of readTfRecords(file, this.skips)) {
        let features: Map<string, FeatureValue>;
        try {
          features = decodeExample(rec.data);
        } catch (e) {
          this.skips.add(file, rec.index, `not a tf.train.Example: ${(e as Error).message}`);
          continue;
        }
        const ep = await rldsEpisode(features, file, rec.index, this.skips);
        if (typeof ep === "string") this.skips.add(file, rec.index, ep);
        else yield ep;
      }
    }
  }
}
