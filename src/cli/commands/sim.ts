// `roboalign sim generate`: records scripted-expert episodes of a task suite in the LeRobot v2
// layout, with a progress bar; re-running the same command resumes where it stopped.
import { SingleBar } from "cli-progress";
import type { CommandModule } from "yargs";
import { LeRobotWriter } from "../../data/lerobot/writer.js";
import { simToEpisode } from "../../data/sim-episode.js";
import { RobotEnv } from "../../sim/robot-env.js";
import { rollout } from "../../sim/rollout.js";
import { suite, type SuiteName } from "../../sim/tasks.js";

interface GenerateArgs {
  suite: SuiteName;
  episodes: number;
  out: string;
  "image-size": number;
  "keep-failures": boolean;
}

const generate: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "Record expert episodes of a suite as a LeRobot v2 dataset (resumable)",
  builder: (y) =>
    y
      .option("suite", { choices: ["spatial", "object", "goal", "long"] as SuiteName[], demandOption: true, describe: "task family (10 tasks × 50 initial states)" })
      .option("episodes", { type: "number", default: 50, describe: "episodes to record (task i mod 10, initial state i div 10)" })
      .option("out", { type: "string", demandOption: true, describe: "dataset folder" })
      .option("image-size", { type: "number", default: 128, describe: "camera side in pixels (front and wrist)" })
      .option("keep-failures", { type: "boolean", default: false, describe: "also record episodes the expert failed" }),
  handler: async (a) => {
    if (!(Number.isInteger(a.episodes) && a.episodes > 0)) throw new Error("--episodes must be a positive integer");
    const tasks = suite(a.suite);
    const writer = LeRobotWriter.open(a.out, { fps: 20, robotType: "roboalign_panda_sim" });
    const env = await RobotEnv.create({ imageSize: a["image-size"] });
    const bar = new SingleBar({ format: "sim generate [{bar}] {value}/{total} episodes | {successes} ok, {failed} failed | eta {eta_formatted}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 });
    let written = 0;
    let resumed = 0;
    let failed = 0;
    bar.start(a.episodes, 0, { successes: 0, failed: 0 });
    try {
      for (let i = 0; i < a.episodes; i++) {
        if (writer.has(i)) {
          resumed++;
          bar.increment(1, { successes: written + resumed, failed });
          continue;
        }
        const task = tasks[i % tasks.length];
        const seed = task.initSeeds[Math.floor(i / tasks.length) % task.initSeeds.length];
        const ep = rollout(env, task, seed);
        if (ep.success || a["keep-failures"]) {
          await writer.writeEpisode(i, simToEpisode(ep, `episode_${String(i).padStart(6, "0")}`, a.suite, i));
          if (ep.success) written++;
        }
        if (!ep.success) failed++;
        bar.increment(1, { successes: written + resumed, failed });
      }
    } finally {
      bar.stop();
      env.dispose();
    }
    process.stdout.write(`${a.out}: ${written} new episodes, ${resumed} already there, ${failed} expert failures ${a["keep-failures"] ? "(recorded)" : "(not recorded)"}\n`);
  },
};

export const simCommand: CommandModule = {
  command: "sim <command>",
  describe: "The embedded robot world: record datasets",
  builder: (y) => y.command(generate).demandCommand(1),
  handler: () => undefined,
};
