// Episode runner: policy (expert or obs → action) in closed loop, recorded as plain typed arrays; protocol of shared/reference/simulation.md §7.
import { ScriptedExpert, type PlanOp } from "./expert.js";
import { evaluate, holds, type Predicate } from "./predicates.js";
import { FRONT_CAMERA, FRONT_FOVY_DEG, WRIST_FOVY_DEG, type Observation, type RobotEnv } from "./robot-env.js";
import { GEOM, type ObjectSpec } from "./scene.js";
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
  /** Ground truth for spatial questions: objects, their poses and the cameras at every step. */
  scene: SimSceneTruth;
}

/** Shape of an object around its base origin (what projection and bounding boxes need). */
export type SimObjectShape = { type: "box"; half: [number, number, number] } | { type: "cylinder"; radius: number; halfHeight: number };

export interface SimCamera {
  width: number;
  height: number;
  fovyDeg: number;
  /** [1 × 9] (fixed camera) or [steps × 9]: pos, forward, up, as RayCamera.render takes them. */
  poses: Float64Array;
}

export interface SimSceneTruth {
  objects: { name: string; kind: string; color: string; shape: SimObjectShape }[];
  /** [steps × objects × 3] base positions and [steps × objects × 4] quaternions (w, x, y, z). */
  objectPositions: Float64Array;
  objectQuats: Float64Array;
  /** "image" (front) and "wrist_image", the names the dataset episodes give the two cameras. */
  cameras: Record<string, SimCamera>;
  plan: { op: "place" | "lift" | "open" | "close"; obj: string; target?: string; relation?: "on" | "in" }[];
  /** [steps × plan.length]: 1 where the plan step's goal predicate held. */
  planDone: Uint8Array;
}

/** Outer size of each object kind, from the MJCF geometry in scene.ts. */
function objectShape(o: ObjectSpec): SimObjectShape {
  switch (o.kind) {
    case "block":
      return { type: "box", half: [GEOM.blockHalf, GEOM.blockHalf, GEOM.blockHalf] };
    case "plate":
      return { type: "cylinder", radius: GEOM.plateRadius, halfHeight: GEOM.plateHalfHeight };
    case "bowl":
      return { type: "cylinder", radius: GEOM.bowlRadius + 0.004, halfHeight: GEOM.bowlWallHalfHeight + 0.003 };
    case "basket":
      return { type: "box", half: [GEOM.basketHalf + 0.004, GEOM.basketHalf + 0.004, GEOM.basketWallHalfHeight + 0.003] };
    case "cabinet":
      return { type: "box", half: [...GEOM.cabinetHalf] };
  }
}

// The two cameras of RobotEnv as flat pose rows: pos, forward, up.
const FRONT_POSE = [...FRONT_CAMERA.pos, ...FRONT_CAMERA.forward, ...FRONT_CAMERA.up];

function wristPose(env: RobotEnv): number[] {
  const p = env.wristPose();
  return [...p.pos, ...p.forward, ...p.up];
}

/** Which plan op a goal predicate belongs to: the k-th op of a plan maps to the k-th goal. */
function planOf(plan: readonly PlanOp[], goal: readonly Predicate[]): SimSceneTruth["plan"] {
  return plan.map((p, k) => {
    if (p.op !== "place") return { op: p.op, obj: p.obj };
    const g = goal[k];
    return { op: "place", obj: p.obj, target: p.target, relation: g?.type === "In" ? "in" : "on" };
  });
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
  readonly objPos: number[] = [];
  readonly objQuat: number[] = [];
  readonly wristPoses: number[] = [];
  readonly done: number[] = [];
  constructor(
    private readonly images: boolean,
    private readonly objects: readonly ObjectSpec[],
    private readonly plan: readonly PlanOp[],
    private readonly goal: readonly Predicate[],
  ) {}
  push(env: RobotEnv, obs: Observation, a: ArrayLike<number>): void {
    for (const o of this.objects) {
      this.objPos.push(...env.bodyPos(o.name));
      const b = env.bodyId(o.name);
      this.objQuat.push(...(env.data.xquat as Float64Array).subarray(4 * b, 4 * b + 4));
    }
    this.wristPoses.push(...wristPose(env));
    // Per-op progress: only when each op has its own goal predicate (plans and goals pair up by index).
    if (this.goal.length === this.plan.length) for (const v of evaluate(env, this.goal)) this.done.push(v ? 1 : 0);
    else for (let k = 0; k < this.plan.length; k++) this.done.push(0);
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
      scene: {
        objects: this.objects.map((o) => ({ name: o.name, kind: o.kind, color: o.colorName, shape: objectShape(o) })),
        objectPositions: Float64Array.from(this.objPos),
        objectQuats: Float64Array.from(this.objQuat),
        cameras: {
          image: { width: size, height: size, fovyDeg: FRONT_FOVY_DEG, poses: Float64Array.from(FRONT_POSE) },
          wrist_image: { width: size, height: size, fovyDeg: WRIST_FOVY_DEG, poses: Float64Array.from(this.wristPoses) },
        },
        plan: planOf(this.plan, this.goal),
        planDone: Uint8Array.from(this.done),
      },
    };
  }
}

/** Run one episode of `task` from initial state `seed`; success is the goal conjunction, checked every step. */
export function rollout(env: RobotEnv, task: Task, seed: number, policy: Policy = expertPolicy(task), opts: RolloutOptions = {}): Episode {
  const images = (opts.recordImages ?? true) && env.renderImages;
  const rec = new Recorder(images, task.objects, task.plan, task.goal);
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
    const rec = new Recorder(images, c.objects, sub.plan, sub.goal);
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
