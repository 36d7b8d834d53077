// Goal predicates evaluated on the simulator state; LIBERO On/In semantics (shared/reference/simulation.md §3.5, §4.1, §7).
import type { RobotEnv } from "./robot-env.js";
import { GEOM, type ObjectKind, rimHeight, supportHeight } from "./scene.js";

export type Predicate =
  | { type: "On"; obj: string; target: string }
  | { type: "In"; obj: string; target: string }
  | { type: "Lifted"; obj: string; height?: number }
  | { type: "Open"; obj: string }
  | { type: "Close"; obj: string }
  | { type: "Not"; pred: Predicate };

export const On = (obj: string, target: string): Predicate => ({ type: "On", obj, target });
export const In = (obj: string, target: string): Predicate => ({ type: "In", obj, target });
export const Lifted = (obj: string, height = 0.06): Predicate => ({ type: "Lifted", obj, height });
/** A cabinet's drawer pulled out at least `DRAWER_OPEN` / pushed in to within `DRAWER_CLOSED` (LIBERO's joint ranges). */
export const Open = (obj: string): Predicate => ({ type: "Open", obj });
export const Close = (obj: string): Predicate => ({ type: "Close", obj });
export const DRAWER_OPEN = 0.1;
export const DRAWER_CLOSED = 0.01;

/** The slide joint of a cabinet's drawer. */
export const drawerJoint = (cabinet: string): string => `${cabinet}_drawer_slide`;

export function describe(p: Predicate): string {
  switch (p.type) {
    case "On":
    case "In":
      return `${p.type}(${p.obj}, ${p.target})`;
    case "Lifted":
    case "Open":
    case "Close":
      return `${p.type}(${p.obj})`;
    case "Not":
      return `Not(${describe(p.pred)})`;
  }
}

function kindOf(env: RobotEnv, name: string): ObjectKind {
  const o = env.task?.objects.find((x) => x.name === name);
  if (!o) throw new Error(`predicate names "${name}", which is not an object of the current task`);
  return o.kind;
}

function touching(pairs: Int32Array, a: number, b: number): boolean {
  for (let i = 0; i < pairs.length; i += 2) {
    if ((pairs[i] === a && pairs[i + 1] === b) || (pairs[i] === b && pairs[i + 1] === a)) return true;
  }
  return false;
}

function touchesFingers(env: RobotEnv, pairs: Int32Array, a: number): boolean {
  return touching(pairs, a, env.bodyId("left_finger")) || touching(pairs, a, env.bodyId("right_finger"));
}

/** Evaluate one predicate. Contacts are read once per call to `holds` via `pairs`. */
function evalOne(env: RobotEnv, p: Predicate, pairs: Int32Array): boolean {
  switch (p.type) {
    case "On": {
      // stricter LIBERO On: inside the support footprint, resting at its top, in contact, released
      const a = env.bodyPos(p.obj), b = env.bodyPos(p.target);
      const kind = kindOf(env, p.target);
      const radius = kind === "plate" ? GEOM.plateRadius - 0.005 : kind === "block" ? 0.02 : 0.05;
      const top = b[2] + supportHeight(kind);
      const ia = env.bodyId(p.obj), ib = env.bodyId(p.target);
      return (
        Math.hypot(a[0] - b[0], a[1] - b[1]) < radius &&
        a[2] > top - 0.01 &&
        a[2] < top + 0.02 &&
        touching(pairs, ia, ib) &&
        !touchesFingers(env, pairs, ia)
      );
    }
    case "In": {
      // LIBERO In reduces to a point-in-box test of the object origin against the container interior
      const a = env.bodyPos(p.obj), b = env.bodyPos(p.target);
      const kind = kindOf(env, p.target);
      const ia = env.bodyId(p.obj);
      const dx = a[0] - b[0], dy = a[1] - b[1];
      const inside = kind === "basket" ? Math.max(Math.abs(dx), Math.abs(dy)) < GEOM.basketHalf - 0.01 : Math.hypot(dx, dy) < GEOM.bowlRadius - 0.01;
      return inside && a[2] > b[2] - 0.01 && a[2] < b[2] + rimHeight(kind) && !touchesFingers(env, pairs, ia);
    }
    case "Lifted": {
      const a = env.bodyPos(p.obj);
      const ia = env.bodyId(p.obj);
      return a[2] > GEOM.tableTop + (p.height ?? 0.06) && touchesFingers(env, pairs, ia);
    }
    case "Open":
      return env.jointPos(drawerJoint(p.obj)) >= DRAWER_OPEN;
    case "Close":
      return env.jointPos(drawerJoint(p.obj)) <= DRAWER_CLOSED;
    case "Not":
      return !evalOne(env, p.pred, pairs);
  }
}

/** True when every predicate of the goal conjunction holds. */
export function holds(env: RobotEnv, goal: readonly Predicate[]): boolean {
  const pairs = env.contactBodies();
  return goal.every((p) => evalOne(env, p, pairs));
}

/** Per-predicate truth values (for logging partial progress). */
export function evaluate(env: RobotEnv, goal: readonly Predicate[]): boolean[] {
  const pairs = env.contactBodies();
  return goal.map((p) => evalOne(env, p, pairs));
}
