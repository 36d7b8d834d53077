// Scripted privileged expert (approach, descend, close, lift, carry, lower, release, retreat); follows shared/reference/simulation.md §3.5.
import { matMul, rotError, yawOf } from "./math.js";
import { POS_SCALE, ROT_SCALE, type RobotEnv } from "./robot-env.js";
import { GEOM, rimHeight, supportHeight } from "./scene.js";

/** One scripted sub-skill. `place` picks `obj` and puts it on/in `target`; `lift` picks it up and holds it. */
export type PlanOp = { op: "place"; obj: string; target: string } | { op: "lift"; obj: string };

type Phase = "above" | "descend" | "close" | "lift" | "carry" | "lower" | "open" | "retreat" | "hold" | "done";

const SAFE_Z = 0.17; // carry height above the table for the ee site
const DOWN = [1, 0, 0, 0, -1, 0, 0, 0, -1]; // hand z pointing down, x along world x

/** State machine over a list of ops; call `act(env)` once per policy step. */
export class ScriptedExpert {
  private opIndex = 0;
  private phase: Phase = "above";
  private phaseSteps = 0;
  private yaw = 0;
  private carryZ = SAFE_Z;

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
    const op = this.plan[this.opIndex];
    const ee = env.eePos();
    const obj = env.bodyPos(op.obj);
    const graspZ = obj[2] + GEOM.blockHalf + 0.004;
    let goal = ee;
    let closed = false;
    let next = false;
    this.phaseSteps++;
    const near = (g: number[], tol: number) => Math.hypot(g[0] - ee[0], g[1] - ee[1], g[2] - ee[2]) < tol;
    switch (this.phase) {
      case "above": {
        // grasp yaw: the block's yaw modulo 90° nearest the current hand yaw
        const cur = yawOf(env.eeMat());
        const by = yawOf(env.bodyMat(op.obj));
        const k = Math.round((cur - by) / (Math.PI / 2));
        this.yaw = by + k * (Math.PI / 2);
        goal = [obj[0], obj[1], Math.max(graspZ + 0.08, Math.min(SAFE_Z, ee[2]))];
        next = near(goal, 0.012) && Math.abs(rotErrNorm(env, this.yaw)) < 0.08;
        break;
      }
      case "descend":
        goal = [obj[0], obj[1], graspZ];
        next = Math.abs(ee[2] - graspZ) < 0.006 || this.phaseSteps > 30;
        break;
      case "close":
        goal = [ee[0], ee[1], ee[2]];
        closed = true;
        next = this.phaseSteps >= 6;
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
        }
        break;
      case "carry": {
        closed = true;
        if (op.op !== "place") break;
        const t = env.bodyPos(op.target);
        goal = [t[0], t[1], this.carryZ];
        next = Math.hypot(goal[0] - ee[0], goal[1] - ee[1]) < 0.01;
        break;
      }
      case "lower": {
        closed = true;
        if (op.op !== "place") break;
        const t = env.bodyPos(op.target);
        const tk = env.task?.objects.find((o) => o.name === op.target)?.kind ?? "plate";
        const z = t[2] + supportHeight(tk) + GEOM.blockHalf + 0.004 + 0.012;
        goal = [t[0], t[1], z];
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
    for (let k = 0; k < 3; k++) a[k] = clamp((goal[k] - ee[k]) / POS_SCALE, 1);
    const er = rotError(targetRot(this.yaw), env.eeMat());
    for (let k = 0; k < 3; k++) a[3 + k] = clamp((er[k] / ROT_SCALE) * 0.8, 1);
    a[6] = closed ? 1 : -1;
    if (next || this.phaseSteps > 60) this.advance(op);
    return a;
  }

  private advance(op: PlanOp): void {
    const order: Phase[] = op.op === "place" ? ["above", "descend", "close", "lift", "carry", "lower", "open", "retreat", "done"] : ["above", "descend", "close", "lift", "hold"];
    const i = order.indexOf(this.phase);
    this.phase = order[Math.min(order.length - 1, i + 1)];
    this.phaseSteps = 0;
    if (this.phase === "done") {
      this.opIndex++;
      this.phase = "above";
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
