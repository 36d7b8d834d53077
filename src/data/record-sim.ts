// Recording scripted-expert episodes of the embedded world into a LeRobot v2 dataset: episode
// index i runs task i mod 10 from initial state ⌊i / 10⌋, so index ranges are reproducible
// splits (e.g. initial states 0–39 for training, 45–49 held out). Already written indices are
// skipped, which makes recording resumable.
import { LeRobotWriter } from "./lerobot/writer.js";
import { simToEpisode } from "./sim-episode.js";
import { RobotEnv } from "../sim/robot-env.js";
import { rollout } from "../sim/rollout.js";
import { suite, type SuiteName } from "../sim/tasks.js";

export interface RecordOptions {
  out: string;
  suite: SuiteName;
  indices: number[];
  imageSize: number;
  keepFailures?: boolean;
  onEpisode?: (progress: { done: number; total: number; written: number; resumed: number; failed: number }) => void;
}

export interface RecordResult {
  written: number;
  resumed: number;
  failed: number;
}

export async function recordSimEpisodes(o: RecordOptions): Promise<RecordResult> {
  const tasks = suite(o.suite);
  const writer = LeRobotWriter.open(o.out, { fps: 20, robotType: "roboalign_panda_sim" });
  const env = await RobotEnv.create({ imageSize: o.imageSize });
  const r: RecordResult = { written: 0, resumed: 0, failed: 0 };
  try {
    for (const [k, i] of o.indices.entries()) {
      if (writer.has(i)) {
        r.resumed++;
      } else {
        const task = tasks[i % tasks.length];
        const seed = task.initSeeds[Math.floor(i / tasks.length) % task.initSeeds.length];
        const ep = rollout(env, task, seed);
        if (ep.success || o.keepFailures) {
          await writer.writeEpisode(i, simToEpisode(ep, `episode_${String(i).padStart(6, "0")}`, o.suite, i));
          if (ep.success) r.written++;
        }
        if (!ep.success) r.failed++;
      }
      o.onEpisode?.({ done: k + 1, total: o.indices.length, ...r });
    }
  } finally {
    env.dispose();
  }
  return r;
}
