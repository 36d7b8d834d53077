// Scripted privileged expert (approach, descend, close, lift, carry, lower, release, retreat); follows shared/reference/simulation.md §3.5.
import { matMul, rotError, yawOf } from "./math.js";
import { POS_SCALE, ROT_SCALE, type RobotEnv } from "./robot-env.js";
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

const SAFE_Z = 0.17; // carry height above the table for the ee site
const DOWN = [1, 0, 0, 0, -1, 0, 0, 0, -1]; // hand z pointing down, x along world x
const CLEAR_Z = 0.11; // ee height whose fingertips clear every rim and a carried-over block
const FINGER_REACH = 0.052; // open finger pad's outer face from the grasp centre, along the finger axis
const MAX_ATTEMPTS = 3; // grasps tried before the op is given up
/** Drop spots inside a basket (offsets from its centre): the corners leave room to pick each block out again. */
const BASKET_SPOTS = [
  [-0.024, -0.024],
  [-0.024, 0.024],
  [0.024, 0.024],
  [0.024, -0.024],
] as const;

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
    if (next || this.phaseSteps > 60) this.advance(op);
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
    const cur = yawOf(env.eeMat());
    this.yaw = yawOf(r) + Math.PI * Math.round((cur - yawOf(r)) / Math.PI);
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
    if (next || this.phaseSteps > 80) {
      const order: Phase[] = ["above", "descend", "carry", "retreat", "done"];
      this.phase = order[order.indexOf(this.phase) + 1];
      this.phaseSteps = 0;
      if (this.phase === "done") {
        this.opIndex++;
        this.phase = "above";
      }
    }
    return a;
  }

  private retry(): void {
    this.attempts++;
    this.failedYaw = this.attempts % 2 === 1 ? this.yaw : undefined;
    this.phase = "above";
    this.phaseSteps = 0;
  }

  private advance(op: BlockOp): void {
    const order: Phase[] = op.op === "place" ? ["above", "descend", "close", "lift", "carry", "lower", "open", "retreat", "done"] : ["above", "descend", "close", "lift", "hold"];
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

/**
 * Grasp yaw: the block's yaw modulo 90° nearest the hand's, unless the fingers would land on a neighbour or a
 * container wall there and the other axis clears more.
 */
function graspYaw(env: RobotEnv, name: string, failed: number | undefined): number {
  const cur = yawOf(env.eeMat());
  const by = yawOf(env.bodyMat(name));
  // the two finger axes, each as the yaw nearest the hand's (the pads are symmetric under a half turn)
  const nearest = (axis: number) => axis + Math.PI * Math.round((cur - axis) / Math.PI);
  const [near, other] = [nearest(by), nearest(by + Math.PI / 2)].sort((a, b) => Math.abs(a - cur) - Math.abs(b - cur));
  if (failed !== undefined) {
    // a retry takes the axis farther from the one that failed
    const off = (a: number) => Math.abs(Math.sin(a - failed));
    return off(near) >= off(other) ? near : other;
  }
  const p = env.bodyPos(name);
  const cNear = clearance(env, name, p, near), cOther = clearance(env, name, p, other);
  return cNear >= 0.012 || cNear >= cOther ? near : other;
}

/**
 * Smallest gap (m) between what the hand puts at (x, y) — a block, and the two open finger pads at `yaw` —
 * and any other block or container wall. `self` is the carried or grasped block, which is not an obstacle.
 */
function clearance(env: RobotEnv, self: string, at: readonly number[], yaw: number): number {
  // the fingers slide along the hand's y axis, which targetRot(yaw) turns to (sin yaw, -cos yaw)
  const ax = Math.sin(yaw), ay = -Math.cos(yaw);
  const points: [number, number, number][] = [
    [at[0], at[1], GEOM.blockHalf * Math.SQRT2],
    [at[0] + FINGER_REACH * ax, at[1] + FINGER_REACH * ay, 0],
    [at[0] - FINGER_REACH * ax, at[1] - FINGER_REACH * ay, 0],
  ];
  let gap = Infinity;
  for (const o of env.task?.objects ?? []) {
    if (o.name === self) continue;
    const q = env.bodyPos(o.name);
    for (const [x, y, r] of points) {
      const fx = x - q[0], fy = y - q[1];
      const box = Math.max(Math.abs(fx), Math.abs(fy)), rad = Math.hypot(fx, fy);
      if (o.kind === "block") gap = Math.min(gap, rad - GEOM.blockHalf * Math.SQRT2 - r);
      else if (o.kind === "basket" && box < GEOM.basketHalf + 0.01) gap = Math.min(gap, GEOM.basketHalf - 0.004 - box - r);
      else if (o.kind === "bowl" && rad < GEOM.bowlRadius + 0.01) gap = Math.min(gap, GEOM.bowlRadius - 0.004 - rad - r);
      else if (o.kind === "cabinet") gap = Math.min(gap, outsideCabinet(env, o.name, x, y) - r);
    }
  }
  return gap;
}

/** Distance (m) from (x, y) to a cabinet's footprint, the drawer and its handle included as far as they are out. */
function outsideCabinet(env: RobotEnv, name: string, x: number, y: number): number {
  const c = env.bodyPos(name), m = env.bodyMat(name);
  // into the cabinet's frame: its x axis (depth) is (m[0], m[3]) in the world
  const dx = (x - c[0]) * m[0] + (y - c[1]) * m[3], dy = -(x - c[0]) * m[3] + (y - c[1]) * m[0];
  const [hx, hy] = GEOM.cabinetHalf;
  const front = hx + env.jointPos(drawerJoint(name)) + GEOM.handleStandoff + GEOM.handleRadius;
  const ox = Math.max(dx - hx, -front - dx, 0), oy = Math.max(Math.abs(dy) - hy, 0);
  return ox > 0 || oy > 0 ? Math.hypot(ox, oy) : -Math.min(hx - dx, front + dx, hy - Math.abs(dy));
}

/**
 * Where in the target to drop (offset from its origin) and the hand yaw to release at. A basket holds several
 * blocks, so each goes to the corner, and the grasp axis, that leave the most room to the blocks already
 * there (ties go to the corner nearest the robot); anything else takes the centre at the carried yaw.
 */
function dropPose(env: RobotEnv, carried: string, target: string, yaw: number): { spot: readonly number[]; yaw: number } {
  const kind = env.task?.objects.find((o) => o.name === target)?.kind;
  if (kind !== "basket") return { spot: [0, 0], yaw };
  const t = env.bodyPos(target);
  let best = { spot: BASKET_SPOTS[0] as readonly number[], yaw }, bestScore = -Infinity;
  for (const s of BASKET_SPOTS) {
    for (const y of [yaw, yaw + Math.PI / 2]) {
      const at = [t[0] + s[0], t[1] + s[1]];
      // clearance first (to the millimetre), then nearness to the robot (it sits at −x)
      const score = Math.round(Math.min(clearance(env, carried, at, y), 0.05) * 1000) - at[0] - (y === yaw ? 0 : 1e-3);
      if (score > bestScore) {
        best = { spot: s, yaw: y };
        bestScore = score;
      }
    }
  }
  return best;
}

/** A block's geometric centre: its origin is the bottom face's centre, which is the top one when it lies flipped. */
function blockCentre(env: RobotEnv, name: string): number[] {
  const p = env.bodyPos(name), r = env.bodyMat(name);
  return [p[0] + GEOM.blockHalf * r[2], p[1] + GEOM.blockHalf * r[5], p[2] + GEOM.blockHalf * r[8]];
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
