// One closed-loop episode under the LIBERO protocol (shared/reference/simulation.md §4.1 OpenVLA-OFT
// run_libero_eval, §7): seeded reset, no-op wait, open-loop chunks, goal checked after every step.
// Chains follow CALVIN's evaluate_policy (§4.2): one reset, subtasks in a row, stop at the first failure.
import { holds, type Predicate } from "../../sim/predicates.js";
import type { Observation, RobotEnv } from "../../sim/robot-env.js";
import type { Chain, Task } from "../../sim/tasks.js";
import type { PlanOp } from "../../sim/expert.js";
import type { Policy } from "../../vla/policy.js";
import { ActionQueue } from "./action-queue.js";
import type { EpisodeContext } from "./episode-context.js";
import type { FrameRecorder, FrameStrip } from "./media-camera.js";
import { toPolicyObservation } from "./observation.js";
import { NOOP_ACTION, openLoopSteps, type Protocol } from "./protocol.js";

export interface EpisodeOutcome {
  success: boolean;
  /** Policy steps taken (wait steps excluded). */
  steps: number;
  inferCalls: number;
  frames?: FrameStrip;
}

export interface ChainOutcome extends EpisodeOutcome {
  /** Subtasks completed in a row (0..length); `success` means all of them. */
  completed: number;
  /** Steps per attempted subtask. */
  subtaskSteps: number[];
}

export interface EpisodeDeps {
  env: RobotEnv;
  policy: Policy;
  ctx: EpisodeContext;
  protocol: Protocol;
  recorder?: FrameRecorder;
}

const NOOP = Float64Array.from(NOOP_ACTION);

/** The no-op settle phase: objects come to rest; nothing is checked. */
function wait(env: RobotEnv, n: number): void {
  for (let i = 0; i < n; i++) env.step(NOOP);
}

interface Segment {
  instruction: string;
  goal: readonly Predicate[];
  plan: readonly PlanOp[];
  limit: number;
  seed: number;
}

/**
 * Runs the policy on one (sub)task from the env's current state. The observation is taken only when
 * the policy is about to be queried, so open-loop steps cost no rendering.
 */
async function segment(d: EpisodeDeps, s: Segment, stepOffset: number): Promise<{ success: boolean; steps: number; inferCalls: number }> {
  const { env, policy, ctx } = d;
  ctx.begin(s.plan, s.instruction, s.seed);
  policy.reset?.();
  const queue = new ActionQueue(policy.actionDim, policy.horizon, openLoopSteps(policy.horizon, d.protocol.replanSteps));
  let inferCalls = 0;
  let obs: Observation | undefined;
  for (let t = 0; t < s.limit; t++) {
    if (queue.empty) {
      obs = env.observe();
      queue.load(await policy.infer(toPolicyObservation(obs, s.instruction, env.renderImages)));
      inferCalls++;
    }
    env.step(queue.next());
    d.recorder?.step(stepOffset + t + 1);
    if (holds(env, s.goal)) return { success: true, steps: t + 1, inferCalls };
  }
  return { success: false, steps: s.limit, inferCalls };
}

export async function runTaskEpisode(d: EpisodeDeps, task: Task, seed: number): Promise<EpisodeOutcome> {
  d.env.reset(seed, task);
  wait(d.env, d.protocol.waitSteps);
  d.recorder?.step(0);
  const r = await segment(d, { instruction: task.language, goal: task.goal, plan: task.plan, limit: d.protocol.maxSteps ?? task.maxSteps, seed }, 0);
  return { ...r, frames: d.recorder?.finish(r.steps) };
}

export async function runChainEpisode(d: EpisodeDeps, c: Chain, seed: number): Promise<ChainOutcome> {
  d.env.reset(c.seed, c);
  wait(d.env, d.protocol.waitSteps);
  d.recorder?.step(0);
  const limit = d.protocol.chainStepsPerSubtask ?? c.maxStepsPerSubtask;
  let steps = 0;
  let inferCalls = 0;
  let completed = 0;
  const subtaskSteps: number[] = [];
  for (const [k, sub] of c.subtasks.entries()) {
    // CALVIN resets the policy per subtask but never the robot or the scene.
    const r = await segment(d, { instruction: sub.language, goal: sub.goal, plan: sub.plan, limit, seed: (seed + k) >>> 0 }, steps);
    steps += r.steps;
    inferCalls += r.inferCalls;
    subtaskSteps.push(r.steps);
    if (!r.success) break;
    completed++;
  }
  return { success: completed === c.subtasks.length, completed, steps, inferCalls, subtaskSteps, frames: d.recorder?.finish(steps) };
}
