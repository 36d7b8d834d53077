// Per-thread evaluation state: one RobotEnv (one MjModel/MjData reused across episodes, simulation.md
// §2.4), one policy instance and one media camera; runs jobs one at a time. Used in the main thread
// (one worker) and inside every worker thread, so both paths share the same episode code.
import { RobotEnv } from "../../sim/robot-env.js";
import { chain, suite as tasksOf } from "../../sim/tasks.js";
import type { Policy } from "../../vla/policy.js";
import { EpisodeContext } from "./episode-context.js";
import { runChainEpisode, runTaskEpisode, type EpisodeDeps } from "./episode.js";
import type { Job } from "./jobs.js";
import { MediaCamera, type FrameStrip } from "./media-camera.js";
import { createPolicy, policyNeedsImages, type PolicySpec } from "./policy-factory.js";
import { ENV_ACTION_DIM, resolveProtocol, type ProtocolOptions } from "./protocol.js";

export interface RunnerOptions {
  protocol?: ProtocolOptions;
  /** Policy camera side (front and wrist), 8..256; default 128 (the sim datasets' size). */
  imageSize?: number;
  /** Media frame side, default 128. */
  mediaSize?: number;
  /** Keep one media frame every k policy steps, default 4. */
  mediaEvery?: number;
}

export interface JobResult {
  id: number;
  success: boolean;
  steps: number;
  inferCalls: number;
  /** Chains only: subtasks completed in a row. */
  completed?: number;
  subtaskSteps?: number[];
  frames?: FrameStrip;
}

/** A policy built in this thread, or a ready instance (main thread only: instances cannot cross threads). */
export type PolicySource = PolicySpec | { instance: Policy; needsImages?: boolean };

function isInstance(p: PolicySource): p is { instance: Policy; needsImages?: boolean } {
  return "instance" in p && typeof (p as { instance: unknown }).instance === "object";
}

export class EpisodeRunner {
  private media: MediaCamera | undefined;

  private constructor(
    private readonly env: RobotEnv,
    private readonly policy: Policy,
    private readonly ctx: EpisodeContext,
    private readonly opts: RunnerOptions,
  ) {}

  static async create(source: PolicySource, opts: RunnerOptions = {}): Promise<EpisodeRunner> {
    const needsImages = isInstance(source) ? (source.needsImages ?? true) : await policyNeedsImages(source);
    const env = await RobotEnv.create({ imageSize: opts.imageSize ?? 128, render: needsImages });
    try {
      const ctx = new EpisodeContext(env);
      const policy = isInstance(source) ? source.instance : await createPolicy(source, ctx);
      if (policy.actionDim !== ENV_ACTION_DIM) {
        throw new Error(`policy actions have ${policy.actionDim} dimensions; the embedded world takes ${ENV_ACTION_DIM} (Δxyz, Δrpy, gripper)`);
      }
      if (!(Number.isInteger(policy.horizon) && policy.horizon >= 1)) throw new Error(`policy horizon must be a positive integer, got ${policy.horizon}`);
      resolveProtocol(opts.protocol);
      return new EpisodeRunner(env, policy, ctx, opts);
    } catch (e) {
      env.dispose();
      throw e;
    }
  }

  async run(job: Job): Promise<JobResult> {
    const deps: EpisodeDeps = { env: this.env, policy: this.policy, ctx: this.ctx, protocol: resolveProtocol(this.opts.protocol) };
    if (job.media) {
      this.media ??= new MediaCamera(this.env, this.opts.mediaSize ?? 128, this.opts.mediaEvery ?? 4);
      deps.recorder = this.media.recorder(this.env);
    }
    if (job.suite === "chain") {
      const r = await runChainEpisode(deps, chain(job.trial), job.seed);
      return { id: job.id, success: r.success, steps: r.steps, inferCalls: r.inferCalls, completed: r.completed, subtaskSteps: r.subtaskSteps, frames: r.frames };
    }
    const r = await runTaskEpisode(deps, tasksOf(job.suite)[job.task], job.seed);
    return { id: job.id, success: r.success, steps: r.steps, inferCalls: r.inferCalls, frames: r.frames };
  }

  /** Frees the env's WASM objects and the policy; the runner is unusable afterwards. */
  async dispose(disposePolicy = true): Promise<void> {
    this.media?.dispose();
    this.env.dispose();
    if (disposePolicy) await this.policy.dispose?.();
  }
}
