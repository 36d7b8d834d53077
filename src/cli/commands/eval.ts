// `roboalign eval <command>`: evaluations of the aligned MLLM itself. `knn` is the representation probe of
// RoboAlign Appendix B.1 / Table 9 (src/eval/knn): can a frozen backbone, seeing only the cameras and the
// instruction, tell which DTW phase of a demonstration a timestep belongs to?
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SingleBar } from "cli-progress";
import type { Argv, CommandModule } from "yargs";
import type { Episode, EpisodeReader, Frame } from "../../data/episode.js";
import { LlavaReader } from "../../data/llava/reader.js";
import { openDataset } from "../../data/open.js";
import { knnProbe, type FeatureSource, type ProbeTrajectory } from "../../eval/knn/probe.js";
import { knnSummaryLine, knnTable, writeKnnReport } from "../../eval/knn/report.js";
import { readHfConfig } from "../../model/checkpoint.js";
import type { Device, DType } from "../../native/contract.js";
import { getNativeCore } from "../../native/core.js";
import type { RgbImage } from "../../vision/image-processor.js";
import { FrozenBackbone } from "../../vla/backbone.js";
import { defaultLayer } from "../../vla/config.js";

interface KnnArgs {
  backbones: string;
  labels?: string;
  data: string;
  task?: string;
  "task-index"?: number;
  trajectories: number;
  classes: number;
  k: number;
  layer?: number;
  stride: number;
  device: string;
  dtype: string;
  out: string;
  progress: boolean;
}

function positive(flag: string, v: number | undefined, min = 1): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new Error(`${flag} must be an integer ≥ ${min}, got ${v}`);
}

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

/** The instruction to probe: --task, the --task-index-th distinct one, or the most frequent (ties → first seen). */
async function chooseInstruction(reader: EpisodeReader, task: string | undefined, taskIndex: number | undefined): Promise<string> {
  if (task !== undefined) return task;
  const count = new Map<string, number>();
  for await (const ep of reader.episodes()) count.set(ep.instruction, (count.get(ep.instruction) ?? 0) + 1);
  const names = [...count.keys()];
  if (!names.length) throw new Error(`${reader.path} has no readable episodes (${reader.skips.count} skipped); check it with \`roboalign data inspect ${reader.path}\``);
  if (taskIndex !== undefined) {
    if (taskIndex >= names.length) throw new Error(`--task-index ${taskIndex} is out of range: ${reader.path} has ${names.length} distinct instructions (0..${names.length - 1})`);
    return names[taskIndex];
  }
  let best = names[0];
  for (const n of names) if (count.get(n)! > count.get(best)!) best = n;
  return best;
}

/**
 * The first `want` episodes with `instruction`. The iterator is left open until `release`, because a
 * reader (LIBERO HDF5) keeps its current file open only while iteration is suspended inside it, and the
 * probe reads frames long after selection.
 */
async function selectEpisodes(reader: EpisodeReader, instruction: string, want: number): Promise<{ episodes: Episode[]; release: () => Promise<void> }> {
  const it = reader.episodes()[Symbol.asyncIterator]();
  const release = async () => void (await it.return?.());
  const episodes: Episode[] = [];
  const seen = new Set<string>();
  try {
    while (episodes.length < want) {
      const n = await it.next();
      if (n.done) break;
      seen.add(n.value.instruction);
      if (n.value.instruction === instruction) episodes.push(n.value);
    }
  } catch (e) {
    await release();
    throw e;
  }
  if (episodes.length < 2) {
    await release();
    const some = [...seen].slice(0, 5).map((s) => `"${s}"`).join(", ");
    throw new Error(`${episodes.length} episode(s) of ${reader.path} have the instruction "${instruction}"; the probe needs at least 2. Instructions there include: ${some || "none"}`);
  }
  if (episodes.length < want) process.stderr.write(`warning: only ${episodes.length} episodes have the instruction "${instruction}" (asked for ${want}); probing those\n`);
  return { episodes, release };
}

/** Readers decode to RGB; a grey or RGBA frame is converted rather than rejected. */
function toRgb(f: Frame): RgbImage {
  if (f.channels === 3) return { data: f.data, height: f.height, width: f.width };
  const n = f.height * f.width;
  const data = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) data[p * 3 + c] = f.data[p * f.channels + (f.channels < 3 ? 0 : c)];
  return { data, height: f.height, width: f.width };
}

function probeTrajectory(ep: Episode): ProbeTrajectory {
  if (!ep.states || !ep.stateDim) throw new Error(`episode ${ep.id} (${ep.source.path}) has no robot states; the probe's phase classes come from states, so pick a dataset that records them`);
  const cameras = Object.keys(ep.images).sort();
  if (!cameras.length) throw new Error(`episode ${ep.id} (${ep.source.path}) has no camera images; the backbone needs what the robot saw`);
  return {
    id: ep.id,
    states: ep.states,
    stateDim: ep.stateDim,
    steps: ep.steps,
    async frame(t) {
      const frames = await Promise.all(cameras.map((c) => ep.images[c].frame(t)));
      if (frames.some((f) => !f)) return null;
      return { images: frames.map((f) => toRgb(f!)), instruction: ep.instruction };
    },
  };
}

interface BackboneSpec {
  label: string;
  dir: string;
  layer: number;
  dim: number;
}

/** Checks every backbone folder and resolves its layer before any model is loaded, so a typo fails fast. */
function backboneSpecs(a: KnnArgs): BackboneSpec[] {
  const dirs = list(a.backbones);
  if (!dirs.length) throw new Error("--backbones needs at least one checkpoint folder");
  const labels = a.labels ? list(a.labels) : dirs.map((d) => d.replace(/\/+$/, ""));
  if (labels.length !== dirs.length) throw new Error(`--labels has ${labels.length} names for ${dirs.length} --backbones; give one label per backbone`);
  return dirs.map((dir, i) => {
    if (!existsSync(join(dir, "config.json"))) throw new Error(`${dir} is not a checkpoint folder (no config.json): --backbones takes Hugging Face Qwen2.5-VL folders, e.g. runs/default/sft/final`);
    const c = readHfConfig(dir);
    const L = c.text.numHiddenLayers;
    // The paper probes layer 18 of Qwen2.5-VL-7B's 28; other depths take the same fraction.
    const layer = a.layer ?? defaultLayer(L);
    if (layer > L) throw new Error(`--layer ${layer} is out of range: ${dir} has ${L} decoder layers (use 1..${L})`);
    return { label: labels[i], dir, layer, dim: c.text.hiddenSize };
  });
}

function backboneSource(spec: BackboneSpec, a: KnnArgs, onOpen: (label: string) => void): FeatureSource {
  let backbone: FrozenBackbone | null = null;
  return {
    label: spec.label,
    dim: spec.dim,
    async open() {
      onOpen(spec.label);
      backbone = await FrozenBackbone.open(getNativeCore(), { dir: spec.dir, layer: spec.layer, normHidden: true, device: a.device as Device, dtype: a.dtype as DType });
    },
    extract: (inputs) => {
      if (!backbone) throw new Error(`backbone ${spec.label} was used before it was opened`);
      return backbone.extract(inputs);
    },
    async close() {
      await backbone?.close();
      backbone = null;
    },
  };
}

const knnCommand: CommandModule<object, KnnArgs> = {
  command: "knn",
  describe: "Representation probe (RoboAlign Table 9): k-NN accuracy of DTW phase classes from backbone hidden states",
  builder: (y: Argv) =>
    y
      .option("backbones", { type: "string", demandOption: true, describe: "comma-separated Qwen2.5-VL checkpoint folders, e.g. base,SFT,SFT+RL" })
      .option("labels", { type: "string", describe: "comma-separated row names, one per backbone (default: the folders)" })
      .option("data", { type: "string", demandOption: true, describe: "episode dataset with robot states and cameras (LIBERO HDF5, LeRobot v2, RLDS)" })
      .option("task", { type: "string", conflicts: "task-index", describe: "instruction of the episodes to probe (default: the most frequent one)" })
      .option("task-index", { type: "number", describe: "probe the N-th distinct instruction in reading order (0-based)" })
      .option("trajectories", { type: "number", default: 20, describe: "episodes of the task to use (the first ones)" })
      .option("classes", { type: "number", default: 32, describe: "phase classes" })
      .option("k", { type: "number", default: 5, describe: "neighbours per vote" })
      .option("layer", { type: "number", describe: "hidden-state layer (default: the paper's 18 of 28 scaled to the backbone's depth, as vla train)" })
      .option("stride", { type: "number", default: 1, describe: "probe every N-th timestep (fewer forward passes)" })
      .option("device", { type: "string", default: "cpu", describe: "cpu, cuda or cuda:N" })
      .option("dtype", { choices: ["float32", "bfloat16", "float16"], default: "float32" })
      .option("out", { type: "string", demandOption: true, describe: "folder for results.json, report.md and knn-accuracy.png" })
      .option("progress", { type: "boolean", default: true, describe: "show a progress bar (--no-progress to hide)" }) as unknown as Argv<KnnArgs>,
  handler: async (a) => {
    positive("--trajectories", a.trajectories, 2);
    positive("--classes", a.classes);
    positive("--k", a.k);
    positive("--layer", a.layer);
    positive("--stride", a.stride);
    positive("--task-index", a["task-index"], 0);
    // yargs reports `conflicts` but main.ts's fail handler lets the command run on; refuse here too.
    if (a.task !== undefined && a["task-index"] !== undefined) throw new Error("give --task or --task-index, not both");
    const specs = backboneSpecs(a);
    const reader = openDataset(a.data);
    if (reader instanceof LlavaReader) throw new Error(`${a.data} is a LLaVA conversation file; the probe needs robot episodes with states and camera frames (LIBERO, LeRobot or RLDS)`);
    const instruction = await chooseInstruction(reader, a.task, a["task-index"]);
    const { episodes, release } = await selectEpisodes(reader, instruction, a.trajectories);
    try {
      const trajs = episodes.map(probeTrajectory);
      process.stdout.write(`probing "${instruction}": ${trajs.length} trajectories, ${trajs.reduce((s, t) => s + t.steps, 0)} steps\n`);
      for (const s of specs) process.stdout.write(`  ${s.label}: ${s.dir}, layer ${s.layer}\n`);

      const bar = a.progress ? new SingleBar({ format: "eval knn [{bar}] {value}/{total} timesteps | {backbone} | eta {eta_formatted}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 }) : null;
      let current = specs[0].label;
      const sources = specs.map((s) => backboneSource(s, a, (label) => (current = label)));
      let started = false;
      let result;
      try {
        result = await knnProbe(trajs, sources, {
          classes: a.classes,
          k: a.k,
          stride: a.stride,
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) bar.start(total, done, { backbone: current });
            else bar.update(done, { backbone: current });
            started = true;
          },
        });
      } finally {
        bar?.stop();
      }
      if (result.skipped) process.stdout.write(`skipped ${result.skipped} timesteps with unreadable frames\n`);
      const meta = { data: a.data, instruction, backbones: specs.map(({ label, dir, layer }) => ({ label, dir, layer })) };
      const files = await writeKnnReport(a.out, result, meta);
      process.stdout.write(`${knnSummaryLine(result)}\n${knnTable(result)}\nwrote ${files.report}, ${files.results}, ${files.chart}\n`);
    } finally {
      await release();
    }
  },
};

/** Every `eval` subcommand. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const subcommands: CommandModule<any, any>[] = [knnCommand];

export const evalCommand: CommandModule = {
  command: "eval <command>",
  describe: "Evaluate the aligned MLLM: k-NN representation probe",
  builder: (y) => y.command(subcommands).demandCommand(1),
  handler: () => undefined,
};
