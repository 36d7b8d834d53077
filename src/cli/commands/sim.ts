// `roboalign sim generate`: records scripted-expert episodes of a task suite in the LeRobot v2
// layout, with a progress bar; re-running the same command resumes where it stopped.
import { SingleBar } from "cli-progress";
import type { CommandModule } from "yargs";
import { defaultRecordWorkers, recordSimEpisodes } from "../../data/record-sim.js";
import type { SuiteName } from "../../sim/tasks.js";

interface GenerateArgs {
  suite: SuiteName;
  episodes: number;
  task?: number;
  out: string;
  "image-size": number;
  "keep-failures": boolean;
  workers: number;
}

const generate: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "Record expert episodes of a suite as a LeRobot v2 dataset (resumable)",
  builder: (y) =>
    y
      .option("suite", { choices: ["spatial", "object", "goal", "long"] as SuiteName[], demandOption: true, describe: "task family (10 tasks × 50 initial states)" })
      .option("episodes", { type: "number", default: 50, describe: "episodes to record (task i mod 10, initial state i div 10)" })
      .option("task", { type: "number", describe: "record only this task (0–9): its initial states 0, 1, … (e.g. for `eval knn`, which needs many trajectories of one task)" })
      .option("out", { type: "string", demandOption: true, describe: "dataset folder" })
      .option("image-size", { type: "number", default: 128, describe: "camera side in pixels (front and wrist)" })
      .option("keep-failures", { type: "boolean", default: false, describe: "also record episodes the expert failed" })
      .option("workers", { type: "number", default: defaultRecordWorkers(), describe: "worker threads running rollouts (1 = in this process); the dataset is the same for any count" }),
  handler: async (a) => {
    if (!(Number.isInteger(a.episodes) && a.episodes > 0)) throw new Error("--episodes must be a positive integer");
    if (a.task !== undefined && !(Number.isInteger(a.task) && a.task >= 0 && a.task <= 9)) throw new Error(`--task must be a task index 0–9, got ${a.task}`);
    if (!(Number.isInteger(a.workers) && a.workers >= 1)) throw new Error(`--workers must be a positive integer, got ${a.workers}`);
    if (a.task !== undefined && a.episodes > 50) throw new Error("--task records at most the task's 50 initial states: use --episodes ≤ 50");
    const bar = new SingleBar({ format: "sim generate [{bar}] {value}/{total} episodes | {successes} ok, {failed} failed | eta {eta_formatted}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 });
    bar.start(a.episodes, 0, { successes: 0, failed: 0 });
    let result;
    try {
      result = await recordSimEpisodes({
        out: a.out,
        suite: a.suite,
        // Index i runs task i mod 10 from initial state i div 10.
        indices: Array.from({ length: a.episodes }, (_, i) => (a.task === undefined ? i : a.task + 10 * i)),
        imageSize: a["image-size"],
        keepFailures: a["keep-failures"],
        workers: a.workers,
        onEpisode: (p) => bar.update(p.done, { successes: p.written + p.resumed, failed: p.failed }),
      });
    } finally {
      bar.stop();
    }
    const { written, resumed, failed } = result;
    process.stdout.write(`${a.out}: ${written} new episodes, ${resumed} already there, ${failed} expert failures ${a["keep-failures"] ? "(recorded)" : "(not recorded)"}\n`);
  },
};

export const simCommand: CommandModule = {
  command: "sim <command>",
  describe: "The embedded robot world: record datasets",
  builder: (y) => y.command(generate).demandCommand(1),
  handler: () => undefined,
};
