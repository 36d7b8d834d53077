// Scripted privileged expert: pick-and-place (approach, descend, close, lift, carry, lower, release, retreat) and the drawer skill; follows shared/reference/simulation.md §3.5.
import { matMul, rotError, yawOf } from "./math.js";
import { POS_SCALE, ROT_SCALE, type RobotEnv } from "./robot-env.js";
import { blockCentre, dropPose, graspYaw, nearestYaw } from "./grasp-planning.js";
import { DRAWER_CLOSED, DRAWER_OPEN, drawerJoint } from "./predicates.js";
import { GEOM, rimHeight, supportHeight } from "./scene.js";

/**
 * One scripted sub-skill. `place` picks `obj` and puts it on/in `target`; `lift` picks it up and holds it;
 * `open` / `close` pull out / push in the drawer of the cabinet `obj`.
 */
export type PlanOp = { op: "place"; obj: string; target: string } | { op: "lift"; obj: string } | { op: "open" | "close"; obj: string };

type BlockOp = Exclude<PlanOp, { op: "open" | "close" }>;
const isBlockOp = (op: PlanOp): op is BlockOp => op.op === "place" || op.op === "lift";
type Phase = "above" | "descend" | "close" | "lift" | "carry" | "lower" | "open" | "retreat" | "hold" | "done";
const PLACE_PHASES: readonly Phase[] = ["above", "descend", "close", "lift", "carry", "lower", "open", "retreat", "done"];
const LIFT_PHASES: readonly Phase[] = ["above", "descend", "close", "lift", "hold"];
const DRAWER_PHASES: readonly Phase[] = ["above", "descend", "carry", "retreat", "done"];

const SAFE_Z = 0.17; // carry height above the table for the ee site
const DOWN = [1, 0, 0, 0, -1, 0, 0, 0, -1]; // hand z pointing down, x along world x
const CLEAR_Z = 0.11; // ee height whose fingertips clear every rim and a carried-over block
const MAX_ATTEMPTS = 3; // grasps tried before the op is given up

/** State machine over a list of ops; call `act(env)` once per policy step. */
export class ScriptedExpert {
  private opIndex = 0;
  private phase: Phase = "above";
  private phaseSteps = 0;
  private yaw = 0;
  private carryZ = SAFE_Z;
  private spot: readonly number[] = [0, 0];
  private attempts = 0;
  private failedYaw: number | undefined;
  private pickZ = 0;

  constructor(private readonly plan: readonly PlanOp[]) {
    if (plan.length === 0) throw new Error("expert plan is empty; give the task at least one PlanOp");
  }

  get finished(): boolean {
    return this.opIndex >= this.plan.length;
  }

  /** Start the next op list entry from scratch (used by chains between subtasks). */
  setPlan(plan: readonly PlanOp[]): ScriptedExpert {
    return new ScriptedExpert(plan);
  }

  act(env: RobotEnv): Float64Array {
    const a = new Float64Array(7);
    a[6] = -1;
    if (this.finished) return a;
    const planned = this.plan[this.opIndex];
    if (!isBlockOp(planned)) return this.drawerAct(env, planned.obj, planned.op);
    const op = planned;
    const ee = env.eePos();
    const obj = blockCentre(env, op.obj);
    const graspZ = obj[2] + 0.004;
    let goal = ee;
    let closed = false;
    let next = false;
    this.phaseSteps++;
    const near = (g: number[], tol: number) => Math.hypot(g[0] - ee[0], g[1] - ee[1], g[2] - ee[2]) < tol;
    switch (this.phase) {
      case "above": {
        goal = [obj[0], obj[1], Math.max(graspZ + 0.08, Math.min(SAFE_Z, ee[2]))];
        // a hand still low (a chain's previous subtask ended inside a container) rises before moving or turning,
        // so its fingers neither drag the container along nor swing into a neighbour
        const rise = ee[2] < CLEAR_Z && Math.hypot(goal[0] - ee[0], goal[1] - ee[1]) > 0.03;
        if (rise) goal = [ee[0], ee[1], Math.max(goal[2], CLEAR_Z + 0.01)];
        this.yaw = rise ? yawOf(env.eeMat()) : graspYaw(env, op.obj, this.failedYaw);
        next = !rise && near(goal, 0.012) && Math.abs(rotErrNorm(env, this.yaw)) < 0.08;
        break;
      }
      case "descend": {
        // the last 4 cm wait for the hand to be over the block, so a finger does not land on its edge
        const off = Math.hypot(obj[0] - ee[0], obj[1] - ee[1]);
        goal = [obj[0], obj[1], off > 0.005 ? Math.max(graspZ, Math.min(ee[2], graspZ + 0.04)) : graspZ];
        next = Math.abs(ee[2] - graspZ) < 0.006 || this.phaseSteps > 30;
        break;
      }
      case "close":
        goal = [ee[0], ee[1], ee[2]];
        closed = true;
        next = this.phaseSteps >= 6;
        if (next) this.pickZ = obj[2];
        break;
      case "lift":
        closed = true;
        goal = [ee[0], ee[1], SAFE_Z];
        if (op.op === "lift") {
          next = ee[2] > SAFE_Z - 0.02;
        } else {
          const t = env.bodyPos(op.target);
          const tk = env.task?.objects.find((o) => o.name === op.target)?.kind ?? "plate";
          this.carryZ = Math.max(SAFE_Z, t[2] + rimHeight(tk) + 2 * GEOM.blockHalf + 0.06);
          goal = [ee[0], ee[1], this.carryZ];
          next = ee[2] > this.carryZ - 0.03;
          if (next) ({ spot: this.spot, yaw: this.yaw } = dropPose(env, op.obj, op.target, this.yaw));
        }
        if (next && obj[2] < this.pickZ + 0.03 && this.attempts + 1 < MAX_ATTEMPTS) {
          // the block stayed behind (a finger landed on a neighbour or a wall): open and grasp again
          this.retry();
          next = false;
        }
        break;
      case "carry": {
        closed = true;
        if (op.op !== "place") break;
        const t = env.bodyPos(op.target);
        goal = [t[0] + this.spot[0], t[1] + this.spot[1], this.carryZ];
        next = Math.hypot(goal[0] - ee[0], goal[1] - ee[1]) < 0.01;
        // dropped on the way (slipped out of a poor grasp): go back for it
        if (Math.hypot(obj[0] - ee[0], obj[1] - ee[1], obj[2] - ee[2]) > 0.05 && this.attempts + 1 < MAX_ATTEMPTS) {
          this.retry();
          next = false;
          goal = [ee[0], ee[1], ee[2]];
          closed = false;
        }
        break;
      }
      case "lower": {
        closed = true;
        if (op.op !== "place") break;
        const t = env.bodyPos(op.target);
        const tk = env.task?.objects.find((o) => o.name === op.target)?.kind ?? "plate";
        const z = t[2] + supportHeight(tk) + GEOM.blockHalf + 0.004 + 0.012;
        goal = [t[0] + this.spot[0], t[1] + this.spot[1], z];
        next = Math.abs(ee[2] - z) < 0.008 || this.phaseSteps > 40;
        break;
      }
      case "open":
        goal = [ee[0], ee[1], ee[2]];
        next = this.phaseSteps >= 5;
        break;
      case "retreat":
        goal = [ee[0], ee[1], SAFE_Z];
        next = ee[2] > SAFE_Z - 0.03;
        break;
      case "hold":
        closed = true;
        goal = [ee[0], ee[1], SAFE_Z];
        break;
    }
    this.command(env, a, goal, closed, 1);
    if (next || this.phaseSteps > 60) this.advance(op.op === "place" ? PLACE_PHASES : LIFT_PHASES);
    return a;
  }

  /** Fill `a` with the delta toward `goal` (each axis capped at `speed`), the hand yaw and the gripper. */
  private command(env: RobotEnv, a: Float64Array, goal: readonly number[], closed: boolean, speed: number): void {
    const ee = env.eePos();
    for (let k = 0; k < 3; k++) a[k] = clamp((goal[k] - ee[k]) / POS_SCALE, speed);
    const er = rotError(targetRot(this.yaw), env.eeMat());
    for (let k = 0; k < 3; k++) a[3 + k] = clamp((er[k] / ROT_SCALE) * 0.8, 1);
    a[6] = closed ? 1 : -1;
  }

  /**
   * Drawer skill with closed fingers: over the gap between handle bar and drawer face (open) or in front of
   * the bar (close), down to bar height, slide along the cabinet's depth axis until the drawer is out / in,
   * then up. The hand keeps its yaw aligned with the cabinet, so the closed pads are thin along the pull.
   */
  private drawerAct(env: RobotEnv, cab: string, op: "open" | "close"): Float64Array {
    const a = new Float64Array(7);
    const ee = env.eePos();
    const q = env.jointPos(drawerJoint(cab));
    const c = env.bodyPos(cab), r = env.bodyMat(cab);
    const ax = [r[0], r[3]]; // the cabinet's +x (depth) axis in the world; the drawer comes out along −x
    // hand x along the cabinet's depth axis, so the closed pads (2.2 cm along the hand's x) fit the 3.3 cm gap
    // and the long hand stays clear of the carcass; the pads are symmetric, so either way round, whichever is nearer
    this.yaw = nearestYaw(yawOf(r), yawOf(env.eeMat()));
    const [hx] = GEOM.cabinetHalf;
    const barX = -hx - GEOM.handleStandoff; // bar centre along the cabinet's x, drawer closed
    const contactX = op === "open" ? barX + (GEOM.handleStandoff - GEOM.handleRadius) / 2 : barX - GEOM.handleRadius - 0.016;
    const at = (along: number, z: number) => [c[0] + along * ax[0], c[1] + along * ax[1], z];
    const barZ = c[2] + GEOM.handleHeight - 0.005;
    const done = op === "open" ? q >= DRAWER_OPEN + 0.02 : q <= DRAWER_CLOSED / 2;
    let goal: number[] = ee;
    let next = false;
    let speed = 1;
    this.phaseSteps++;
    const hook = at(contactX - q, barZ);
    switch (this.phase) {
      case "above": {
        const over = [hook[0], hook[1], Math.max(CLEAR_Z, barZ + 0.06)];
        const rise = ee[2] < CLEAR_Z - 0.01 && Math.hypot(over[0] - ee[0], over[1] - ee[1]) > 0.03;
        goal = rise ? [ee[0], ee[1], over[2]] : over;
        next = !rise && Math.hypot(over[0] - ee[0], over[1] - ee[1], over[2] - ee[2]) < 0.01 && rotErrNorm(env, this.yaw) < 0.08;
        break;
      }
      case "descend":
        goal = hook;
        next = Math.abs(ee[2] - barZ) < 0.006 || this.phaseSteps > 30;
        break;
      case "carry": {
        // lead the hand 3 cm past the drawer's current position, slowly, so the bar is dragged, not struck
        goal = at(contactX - q + (op === "open" ? -0.03 : 0.03), barZ);
        speed = 0.4;
        next = done;
        break;
      }
      case "retreat": {
        // back off the bar along the pull before rising, so the fingers do not drag it up
        const off = op === "open" ? 0.012 : -0.012;
        goal = this.phaseSteps < 4 ? at(contactX - q + off, barZ) : [ee[0], ee[1], SAFE_Z];
        next = ee[2] > SAFE_Z - 0.03;
        break;
      }
    }
    // fingers close once the hand is up and away, so they do not take along a block just released below them
    this.command(env, a, goal, !(this.phase === "above" && ee[2] < CLEAR_Z - 0.01), speed);
    if (next || this.phaseSteps > 80) this.advance(DRAWER_PHASES);
    return a;
  }

  private retry(): void {
    this.attempts++;
    this.failedYaw = this.attempts % 2 === 1 ? this.yaw : undefined;
    this.phase = "above";
    this.phaseSteps = 0;
  }

  /** Next phase of `order`; after "done", the next op starts from "above". */
  private advance(order: readonly Phase[]): void {
    const i = order.indexOf(this.phase);
    this.phase = order[Math.min(order.length - 1, i + 1)];
    this.phaseSteps = 0;
    if (this.phase === "done") {
      this.opIndex++;
      this.phase = "above";
      this.attempts = 0;
      this.failedYaw = undefined;
      this.spot = [0, 0];
    }
  }
}

function clamp(v: number, lim: number): number {
  return Math.max(-lim, Math.min(lim, v));
}

function targetRot(yaw: number): number[] {
  const c = Math.cos(yaw), s = Math.sin(yaw);
  return matMul([c, -s, 0, s, c, 0, 0, 0, 1], DOWN);
}

function rotErrNorm(env: RobotEnv, yaw: number): number {
  const e = rotError(targetRot(yaw), env.eeMat());
  return Math.hypot(e[0], e[1], e[2]);
}
