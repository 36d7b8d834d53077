// `roboalign vla <command>`: the VLA policy's commands. `train` fits the action head (./vla-train.ts);
// `eval` runs a policy closed-loop in the embedded world under the LIBERO protocol
// (shared/reference/simulation.md §4, §7).
import { SingleBar } from "cli-progress";
import type { Argv, CommandModule } from "yargs";
import { readEvalRun, type EvalRun } from "../../eval/closed-loop/eval-run.js";
import { evaluatePolicy } from "../../eval/closed-loop/evaluate.js";
import { buildJobs } from "../../eval/closed-loop/jobs.js";
import type { MediaFormat } from "../../eval/closed-loop/media-writer.js";
import { parsePolicyArg } from "../../eval/closed-loop/policy-factory.js";
import { DEFAULT_TRIALS, LIBERO_WAIT_STEPS } from "../../eval/closed-loop/protocol.js";
import { writeReport } from "../../eval/closed-loop/report-writer.js";
import { parseSuites } from "../../eval/closed-loop/suites.js";
import { defaultWorkers } from "../../eval/closed-loop/worker-pool.js";
import { formatRate } from "../../eval/closed-loop/report-tables.js";
import { parseIdList } from "../parse.js";
import { vlaTrainCommand } from "./vla-train.js";

interface EvalArgs {
  policy: string;
  suite: string;
  trials: number;
  "first-trial": number;
  tasks?: string;
  workers: number;
  "replan-steps"?: number;
  "wait-steps": number;
  "max-steps"?: number;
  "image-size": number;
  out: string;
  label?: string;
  compare?: string;
  media: boolean;
  "media-format": MediaFormat;
}

function positive(flag: string, v: number | undefined, min = 1): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new Error(`${flag} must be an integer ≥ ${min}, got ${v}`);
}

const evalCommand: CommandModule<object, EvalArgs> = {
  command: "eval",
  describe: "Evaluate a policy closed-loop in the embedded world (LIBERO-style suites, CALVIN-style chains)",
  builder: (y: Argv) =>
    y
      .option("policy", { type: "string", demandOption: true, describe: "policy directory (with policy.json), or a built-in: expert, noop" })
      .option("suite", { type: "string", default: "libero", describe: "comma-separated: spatial, object, goal, long, chain; libero = the first four; all" })
      .option("trials", { type: "number", default: DEFAULT_TRIALS, describe: "initial states per task (≤ 50), and chains for the chain suite" })
      .option("first-trial", { type: "number", default: 0, describe: "first initial state of each task (e.g. 20 to skip states that recorded training data)" })
      .option("tasks", { type: "string", describe: "only these task indices of each suite, e.g. 0,1,2" })
      .option("workers", { type: "number", default: defaultWorkers(), describe: "worker threads, one env and policy each (1 = in this process)" })
      .option("replan-steps", { type: "number", describe: "actions executed open-loop per chunk before re-querying (default: the whole chunk)" })
      .option("wait-steps", { type: "number", default: LIBERO_WAIT_STEPS, describe: "no-op steps after reset while objects settle" })
      .option("max-steps", { type: "number", describe: "policy steps per episode of the LIBERO-like suites (default 220/280/300/520; chains: 240 per subtask)" })
      .option("image-size", { type: "number", default: 128, describe: "camera side in pixels for the policy's images" })
      .option("out", { type: "string", default: "runs/eval", describe: "folder for results.json, report.md, success.png and media/" })
      .option("label", { type: "string", describe: "row name in the report tables (default: the policy kind)" })
      .option("compare", { type: "string", describe: "earlier results.json files (comma-separated) to add as table rows" })
      .option("media", { type: "boolean", default: true, describe: "write a few success and failure episodes per suite (--no-media to skip)" })
      .option("media-format", { choices: ["gif", "png"] as MediaFormat[], default: "gif" as MediaFormat, describe: "animated GIF or a PNG strip of frames" }),
  handler: async (a) => {
    positive("--trials", a.trials);
    positive("--workers", a.workers);
    positive("--first-trial", a["first-trial"], 0);
    positive("--replan-steps", a["replan-steps"]);
    positive("--wait-steps", a["wait-steps"], 0);
    positive("--max-steps", a["max-steps"]);
    const suites = parseSuites(a.suite);
    const policy = await parsePolicyArg(a.policy);
    const earlier: EvalRun[] = [];
    for (const f of (a.compare ?? "").split(",").map((s) => s.trim()).filter(Boolean)) earlier.push(await readEvalRun(f));
    const tasks = a.tasks ? parseIdList(a.tasks, "--tasks") : undefined;

    const bar = new SingleBar({ format: "vla eval [{bar}] {value}/{total} episodes | {suite} | {ok} ok | eta {eta_formatted}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 });
    // Building the episode list up front also rejects bad --trials / --tasks before any worker starts.
    const total = buildJobs({ suites, trials: a.trials, tasks, firstTrial: a["first-trial"] }).length;
    let ok = 0;
    bar.start(total, 0, { suite: suites[0], ok: 0 });
    let evaluation;
    try {
      evaluation = await evaluatePolicy({
        policy,
        suites,
        trials: a.trials,
        firstTrial: a["first-trial"],
        tasks,
        workers: a.workers,
        label: a.label,
        runner: { imageSize: a["image-size"], protocol: { waitSteps: a["wait-steps"], replanSteps: a["replan-steps"], maxSteps: a["max-steps"] } },
        media: a.media ? { outDir: a.out, format: a["media-format"] } : undefined,
        onResult: (r, job, done) => {
          if (r.success) ok++;
          bar.update(done, { suite: job.suite, ok });
        },
      });
    } finally {
      bar.stop();
    }
    const { run } = evaluation;
    const files = await writeReport(a.out, [...earlier, run]);
    const lines = run.summary.suites.map((s) => `  ${s.suite.padEnd(8)} ${formatRate(s)}`);
    if (run.summary.average) lines.push(`  ${"average".padEnd(8)} ${formatRate(run.summary.average)}`);
    const c = run.summary.chain;
    if (c) lines.push(`  chain    ${c.inARow.map((r, k) => `${k + 1}: ${(100 * r.rate).toFixed(1)}%`).join("  ")}  avg len ${c.avgLength.toFixed(2)} (${c.chains} chains)`);
    process.stdout.write(
      `${run.label}: success % ± 95% Wilson half-width (episodes)\n${lines.join("\n")}\n` +
        `${run.episodes} episodes in ${run.seconds.toFixed(1)} s on ${run.workers} worker(s), ${run.episodesPerSecond.toFixed(2)} episodes/s\n` +
        `wrote ${files.report}, ${files.results}${files.chart ? `, ${files.chart}` : ""}${run.media.length ? ` and ${run.media.length} media files` : ""}\n`,
    );
  },
};

/** Every `vla` subcommand. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const subcommands: CommandModule<any, any>[] = [vlaTrainCommand, evalCommand];

export const vlaCommand: CommandModule = {
  command: "vla <command>",
  describe: "The VLA: train a flow-matching action head on a frozen backbone, evaluate policies closed-loop",
  builder: (y) => y.command(subcommands).demandCommand(1),
  handler: () => undefined,
};
