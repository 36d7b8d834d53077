// Training checkpoints under `<out>/checkpoints/step-NNNNNN/`: the model as a Hugging Face
// folder, the optimizer state (`optimizer.bin`) and `trainer_state.json`. Each is written into
// `step-NNNNNN.tmp/` and renamed when complete, so a kill at any moment leaves only whole
// checkpoints; the newest `keep` are kept.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configDigest } from "./config-digest.js";
import { MetricsLog } from "./metrics-log.js";

export const TRAINER_STATE_FILE = "trainer_state.json";
export const OPTIMIZER_STATE_FILE = "optimizer.bin";

export interface TrainerState {
  stage: string;
  /** Optimizer steps completed. */
  step: number;
  totalSteps: number;
  /** Digest of the settings that fix the run's trajectory; resuming with other settings is refused. */
  configDigest: string;
  /** Stage-specific counters (e.g. rollout batches consumed). */
  extra: Record<string, number | string>;
}

const STEP_DIR = /^step-(\d+)$/;

export class CheckpointStore {
  readonly root: string;

  constructor(
    outDir: string,
    private readonly keep: number,
  ) {
    this.root = join(outDir, "checkpoints");
  }

  static dirName(step: number): string {
    return `step-${String(step).padStart(6, "0")}`;
  }

  /** The newest complete checkpoint, or null. */
  latest(): { dir: string; state: TrainerState } | null {
    if (!existsSync(this.root)) return null;
    const steps = readdirSync(this.root)
      .map((n) => STEP_DIR.exec(n))
      .filter((m): m is RegExpExecArray => m !== null && existsSync(join(this.root, m[0], TRAINER_STATE_FILE)))
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a);
    if (!steps.length) return null;
    const dir = join(this.root, CheckpointStore.dirName(steps[0]));
    return { dir, state: JSON.parse(readFileSync(join(dir, TRAINER_STATE_FILE), "utf8")) as TrainerState };
  }

  /** Calls `fill(tmpDir)` to write model and optimizer files, then the state, then renames. */
  async write(state: TrainerState, fill: (dir: string) => Promise<void>): Promise<string> {
    const final = join(this.root, CheckpointStore.dirName(state.step));
    const tmp = `${final}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    await fill(tmp);
    writeFileSync(join(tmp, TRAINER_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
    rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
    this.prune();
    return final;
  }

  private prune(): void {
    const dirs = readdirSync(this.root)
      .map((n) => ({ n, m: STEP_DIR.exec(n) }))
      .filter((x) => x.m)
      .sort((a, b) => Number(b.m![1]) - Number(a.m![1]));
    for (const { n } of dirs.slice(Math.max(1, this.keep))) rmSync(join(this.root, n), { recursive: true, force: true });
    for (const n of readdirSync(this.root)) if (n.endsWith(".tmp")) rmSync(join(this.root, n), { recursive: true, force: true });
  }
}

/** What every resumable stage opens first: its checkpoints, metrics file, settings digest and the checkpoint to resume. */
export interface RunState {
  store: CheckpointStore;
  metrics: MetricsLog;
  digest: string;
  /** The newest checkpoint when resuming, else null. */
  latest: { dir: string; state: TrainerState } | null;
}

/**
 * Opens `<out>/checkpoints` and `<out>/metrics.jsonl`; with `resume`, the newest checkpoint, refused
 * when it was written under other settings (`ignore` lists settings that may change between runs).
 */
export function openRunState(config: { out: string; keepCheckpoints: number }, ignore: readonly string[], resume: boolean): RunState {
  const store = new CheckpointStore(config.out, config.keepCheckpoints);
  const metrics = new MetricsLog(join(config.out, "metrics.jsonl"));
  const digest = configDigest(config, ignore);
  const latest = resume ? store.latest() : null;
  if (latest && latest.state.configDigest !== digest) {
    throw new Error(`cannot resume ${latest.dir}: it was written with other settings (digest ${latest.state.configDigest}, now ${digest}); use the same config or a new --out`);
  }
  return { store, metrics, digest, latest };
}
