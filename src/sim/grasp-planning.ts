// Where the scripted expert grasps and drops: finger axes clear of neighbours, container walls and the
// cabinet, free corners of a basket, and the centre of a block however it lies (shared/reference/simulation.md §3.5).
import { yawOf } from "./math.js";
import { drawerJoint } from "./predicates.js";
import type { RobotEnv } from "./robot-env.js";
import { GEOM } from "./scene.js";

const FINGER_REACH = 0.052; // open finger pad's outer face from the grasp centre, along the finger axis
/** Drop spots inside a basket (offsets from its centre): the corners leave room to pick each block out again. */
const BASKET_SPOTS = [
  [-0.024, -0.024],
  [-0.024, 0.024],
  [0.024, 0.024],
  [0.024, -0.024],
] as const;

/** The hand yaw along `axis` nearest `current`: the closed or open pads are symmetric under a half turn. */
export function nearestYaw(axis: number, current: number): number {
  return axis + Math.PI * Math.round((current - axis) / Math.PI);
}

/**
 * Grasp yaw: the block's yaw modulo 90° nearest the hand's, unless the fingers would land on a neighbour or a
 * container wall there and the other axis clears more.
 */
export function graspYaw(env: RobotEnv, name: string, failed: number | undefined): number {
  const cur = yawOf(env.eeMat());
  const by = yawOf(env.bodyMat(name));
  // the two finger axes, each as the yaw nearest the hand's
  const [near, other] = [nearestYaw(by, cur), nearestYaw(by + Math.PI / 2, cur)].sort((a, b) => Math.abs(a - cur) - Math.abs(b - cur));
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
export function dropPose(env: RobotEnv, carried: string, target: string, yaw: number): { spot: readonly number[]; yaw: number } {
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
export function blockCentre(env: RobotEnv, name: string): number[] {
  const p = env.bodyPos(name), r = env.bodyMat(name);
  return [p[0] + GEOM.blockHalf * r[2], p[1] + GEOM.blockHalf * r[5], p[2] + GEOM.blockHalf * r[8]];
}
