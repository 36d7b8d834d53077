// `roboalign data inspect`: one pass over a dataset summarizing what a training run would see —
// episode/record counts, step statistics, instructions, array shapes with float64 sums (to
// compare against another reader), image shapes per camera, and every skipped item.
import type { DataFormat, EpisodeReader } from "./episode.js";
import type { LlavaReader } from "./llava/reader.js";
import type { SkipReport } from "./skip.js";

export interface InspectReport {
  format: DataFormat;
  path: string;
  episodes?: number;
  records?: number;
  steps?: { total: number; min: number; mean: number; max: number };
  instructions: { distinct: number; examples: string[] };
  actions?: { dims: number[]; sum: number };
  states?: { dims: number[]; sum: number };
  images: Record<string, { shapes: string[]; frames: number }>;
  /** LLaVA only: image parts and conversation turns. */
  imageParts?: number;
  messages?: number;
  skipped: SkipReport[];
}

const EXAMPLES = 5;

/** Summarizes episodes; with `decodeFrames`, decodes every frame (finds undecodable images). */
export async function inspectEpisodes(reader: EpisodeReader, decodeFrames = false): Promise<InspectReport> {
  const steps: number[] = [];
  const instructions = new Set<string>();
  const actionDims = new Set<number>();
  const stateDims = new Set<number>();
  let actionSum = 0;
  let stateSum = 0;
  let anyState = false;
  const images: Record<string, { shapes: Set<string>; frames: number }> = {};
  for await (const ep of reader.episodes()) {
    steps.push(ep.steps);
    instructions.add(ep.instruction);
    actionDims.add(ep.actionDim);
    for (let i = 0; i < ep.actions.length; i++) actionSum += ep.actions[i];
    if (ep.states && ep.stateDim) {
      anyState = true;
      stateDims.add(ep.stateDim);
      for (let i = 0; i < ep.states.length; i++) stateSum += ep.states[i];
    }
    for (const [cam, stream] of Object.entries(ep.images)) {
      const slot = (images[cam] ??= { shapes: new Set(), frames: 0 });
      slot.frames += stream.count;
      if (decodeFrames) {
        for await (const f of stream.frames()) if (f) slot.shapes.add(`${f.height}x${f.width}x${f.channels}`);
      } else {
        const f = stream.height ? null : await stream.frame(0);
        slot.shapes.add(f ? `${f.height}x${f.width}x${f.channels}` : `${stream.height}x${stream.width}x3`);
      }
    }
  }
  const total = steps.reduce((a, b) => a + b, 0);
  return {
    format: reader.format,
    path: reader.path,
    episodes: steps.length,
    steps: steps.length ? { total, min: Math.min(...steps), mean: total / steps.length, max: Math.max(...steps) } : { total: 0, min: 0, mean: 0, max: 0 },
    instructions: { distinct: instructions.size, examples: [...instructions].slice(0, EXAMPLES) },
    actions: { dims: [...actionDims].sort((a, b) => a - b), sum: actionSum },
    states: anyState ? { dims: [...stateDims].sort((a, b) => a - b), sum: stateSum } : undefined,
    images: Object.fromEntries(Object.entries(images).map(([k, v]) => [k, { shapes: [...v.shapes].sort(), frames: v.frames }])),
    skipped: reader.skips.items,
  };
}

export async function inspectLlava(reader: LlavaReader): Promise<InspectReport> {
  let records = 0;
  let imageParts = 0;
  let messages = 0;
  const questions = new Set<string>();
  for await (const r of reader.records()) {
    records++;
    imageParts += r.images.length;
    messages += r.messages.length;
    const firstUser = r.messages.find((m) => m.role === "user");
    const text = Array.isArray(firstUser?.content) ? firstUser.content.find((p) => p.type === "text") : undefined;
    if (text && text.type === "text") questions.add(text.text);
  }
  return {
    format: "llava",
    path: reader.path,
    records,
    instructions: { distinct: questions.size, examples: [...questions].slice(0, EXAMPLES) },
    images: {},
    imageParts,
    messages,
    skipped: reader.skips.items,
  };
}

/** Human-readable report. */
export function formatReport(r: InspectReport): string {
  const lines = [`${r.path} (${r.format})`];
  if (r.records !== undefined) lines.push(`records: ${r.records}  messages: ${r.messages}  image parts: ${r.imageParts}`);
  if (r.episodes !== undefined && r.steps) lines.push(`episodes: ${r.episodes}  steps: ${r.steps.total} (min ${r.steps.min}, mean ${r.steps.mean.toFixed(2)}, max ${r.steps.max})`);
  lines.push(`instructions: ${r.instructions.distinct} distinct`);
  for (const ex of r.instructions.examples) lines.push(`  - ${JSON.stringify(ex)}`);
  if (r.actions) lines.push(`actions: dim ${r.actions.dims.join("/")}  float64 sum ${r.actions.sum}`);
  if (r.states) lines.push(`states: dim ${r.states.dims.join("/")}  float64 sum ${r.states.sum}`);
  for (const [cam, v] of Object.entries(r.images)) lines.push(`camera ${cam}: ${v.shapes.join(", ")}  (${v.frames} frames)`);
  lines.push(`skipped: ${r.skipped.length}`);
  for (const s of r.skipped) lines.push(`  ${s.path} [${s.index}]: ${s.reason}`);
  return lines.join("\n");
}
