// Episode runner: policy (expert or obs → action) in closed loop, recorded as plain typed arrays; protocol of shared/reference/simulation.md §7.
import { ScriptedExpert } from "./expert.js";
import { holds } from "./predicates.js";
import type { Observation, RobotEnv } from "./robot-env.js";
import type { Chain, Task } from "./tasks.js";

/** A policy maps an observation and the instruction to a 7-D action. */
export type Policy = (obs: Observation, instruction: string, env: RobotEnv) => Float64Array | number[];

export interface Episode {
  instruction: string;
  success: boolean;
  steps: number;
  width: number;
  height: number;
  /** steps × H × W × 3, the observation each action was chosen from. Empty when not recorded. */
  frontRgb: Uint8Array;
  wristRgb: Uint8Array;
  /** steps × (nq + nv) */
  states: Float64Array;
  stateDim: number;
  /** steps × 7 */
  actions: Float32Array;
  /** steps × 3 and steps × 4 (w, x, y, z) */
  eePos: Float32Array;
  eeQuat: Float32Array;
  /** steps × 1 (finger opening, m) and steps × 7 */
  gripper: Float32Array;
  joints: Float32Array;
}

export interface RolloutOptions {
  /** Record images per step (needs an env created with render: true). Default true. */
  recordImages?: boolean;
  /** Override the task's step limit. */
  maxSteps?: number;
  /** Keep stepping after success until the limit (default false: stop at first success, as LIBERO). */
  runToLimit?: boolean;
}

/** The scripted expert as a Policy for one task. */
export function expertPolicy(task: Pick<Task, "plan">): Policy {
  const ex = new ScriptedExpert(task.plan);
  return (_obs, _instr, env) => ex.act(env);
}

class Recorder {
  readonly front: Uint8Array[] = [];
  readonly wrist: Uint8Array[] = [];
  readonly states: Float64Array[] = [];
  readonly actions: number[] = [];
  readonly ee: number[] = [];
  readonly quat: number[] = [];
  readonly grip: number[] = [];
  readonly joints: number[] = [];
  constructor(private readonly images: boolean) {}
  push(env: RobotEnv, obs: Observation, a: ArrayLike<number>): void {
    if (this.images) {
      this.front.push(obs.frontRgb);
      this.wrist.push(obs.wristRgb);
    }
    this.states.push(env.state());
    for (let i = 0; i < 7; i++) this.actions.push(a[i]);
    this.ee.push(...obs.eePos);
    this.quat.push(...obs.eeQuat);
    this.grip.push(obs.gripper);
    this.joints.push(...obs.joints);
  }
  finish(instruction: string, success: boolean, size: number): Episode {
    const cat = (xs: Uint8Array[]) => {
      const out = new Uint8Array(xs.reduce((s, x) => s + x.length, 0));
      let o = 0;
      for (const x of xs) {
        out.set(x, o);
        o += x.length;
      }
      return out;
    };
    const sd = this.states[0]?.length ?? 0;
    const states = new Float64Array(sd * this.states.length);
    this.states.forEach((s, i) => states.set(s, i * sd));
    return {
      instruction,
      success,
      steps: this.states.length,
      width: size,
      height: size,
      frontRgb: cat(this.front),
      wristRgb: cat(this.wrist),
      states,
      stateDim: sd,
      actions: Float32Array.from(this.actions),
      eePos: Float32Array.from(this.ee),
      eeQuat: Float32Array.from(this.quat),
      gripper: Float32Array.from(this.grip),
      joints: Float32Array.from(this.joints),
    };
  }
}

/** Run one episode of `task` from initial state `seed`; success is the goal conjunction, checked every step. */
export function rollout(env: RobotEnv, task: Task, seed: number, policy: Policy = expertPolicy(task), opts: RolloutOptions = {}): Episode {
  const images = (opts.recordImages ?? true) && env.renderImages;
  const rec = new Recorder(images);
  let obs = env.reset(seed, task);
  const limit = opts.maxSteps ?? task.maxSteps;
  let success = false;
  for (let t = 0; t < limit; t++) {
    const a = policy(obs, task.language, env);
    rec.push(env, obs, a);
    env.step(a instanceof Float64Array ? a : Float64Array.from(a));
    if (holds(env, task.goal)) {
      success = true;
      if (!opts.runToLimit) break;
    }
    obs = env.observe();
  }
  return rec.finish(task.language, success, env.size);
}

export interface ChainResult {
  seed: number;
  /** Number of consecutive subtasks completed (0..5), CALVIN's per-chain length. */
  completed: number;
  episodes: Episode[];
}

/**
 * CALVIN protocol: one reset per chain, subtasks in order without resets, each with its own step limit;
 * the chain stops at the first failure. `policyFor` builds the policy for each subtask.
 */
export function rolloutChain(env: RobotEnv, c: Chain, policyFor: (sub: Chain["subtasks"][number]) => Policy = (s) => expertPolicy(s), opts: RolloutOptions = {}): ChainResult {
  const images = (opts.recordImages ?? true) && env.renderImages;
  let obs = env.reset(c.seed, c);
  const episodes: Episode[] = [];
  let completed = 0;
  for (const sub of c.subtasks) {
    const policy = policyFor(sub);
    const rec = new Recorder(images);
    let success = false;
    for (let t = 0; t < (opts.maxSteps ?? c.maxStepsPerSubtask); t++) {
      const a = policy(obs, sub.language, env);
      rec.push(env, obs, a);
      env.step(a instanceof Float64Array ? a : Float64Array.from(a));
      obs = env.observe();
      if (holds(env, sub.goal)) {
        success = true;
        break;
      }
    }
    episodes.push(rec.finish(sub.language, success, env.size));
    if (!success) break;
    completed++;
  }
  return { seed: c.seed, completed, episodes };
}
