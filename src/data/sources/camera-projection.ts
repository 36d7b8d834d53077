// Pinhole projection of scene points into a recorded camera, the exact inverse of the ray
// directions src/sim/render.ts casts: pixel (col j, row i) looks along
// forward + x·right + y·up with x = (2(j+½)/W − 1)·tan(fovy/2)·W/H and y = (1 − 2(i+½)/H)·tan(fovy/2),
// right = forward × up, up re-orthogonalised. Pixel coordinates here are continuous: u ∈ [0, W)
// left to right, v ∈ [0, H) top to bottom, so pixel (j, i) covers [j, j+1) × [i, i+1).
import type { CameraModel, ObjectShape, SceneTruth } from "../episode.js";

export interface CameraFrame {
  pos: number[];
  forward: number[];
  right: number[];
  up: number[];
  /** tan(fovy / 2) */
  tanHalf: number;
  width: number;
  height: number;
}

export interface Projected {
  u: number;
  v: number;
  /** Distance along the viewing direction (m); ≤ 0 means behind the camera. */
  depth: number;
}

const norm = (v: number[]): number[] => {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
};
const cross = (a: number[], b: number[]): number[] => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: number[], b: number[]): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** The camera's orthonormal frame at step t (fixed cameras store one pose). */
export function cameraFrameAt(cam: CameraModel, t: number): CameraFrame {
  const k = cam.poses.length === 9 ? 0 : t;
  const p = Array.from(cam.poses.subarray(9 * k, 9 * k + 9));
  const forward = norm(p.slice(3, 6));
  const right = norm(cross(forward, p.slice(6, 9)));
  return { pos: p.slice(0, 3), forward, right, up: cross(right, forward), tanHalf: Math.tan((cam.fovyDeg * Math.PI) / 360), width: cam.width, height: cam.height };
}

export function projectPoint(c: CameraFrame, p: ArrayLike<number>): Projected {
  const d = [p[0] - c.pos[0], p[1] - c.pos[1], p[2] - c.pos[2]];
  const depth = dot(d, c.forward);
  const x = dot(d, c.right) / depth;
  const y = dot(d, c.up) / depth;
  return { u: ((x / (c.tanHalf * (c.width / c.height)) + 1) * c.width) / 2, v: ((1 - y / c.tanHalf) * c.height) / 2, depth };
}

/** Base position and orientation (w, x, y, z) of object k at step t. */
export function objectPose(scene: SceneTruth, t: number, k: number): { pos: number[]; quat: number[] } {
  const n = scene.objects.length;
  const pos = Array.from(scene.objectPositions.subarray((t * n + k) * 3, (t * n + k) * 3 + 3));
  const quat = Array.from(scene.objectQuats.subarray((t * n + k) * 4, (t * n + k) * 4 + 4));
  return { pos, quat };
}

function rotate(q: number[], v: number[]): number[] {
  const [w, x, y, z] = q;
  // v + 2w(q×v) + 2q×(q×v), with q the vector part
  const qv = [x, y, z];
  const t = cross(qv, v).map((e) => 2 * e);
  const u = cross(qv, t);
  return [v[0] + w * t[0] + u[0], v[1] + w * t[1] + u[1], v[2] + w * t[2] + u[2]];
}

const halfHeight = (s: ObjectShape): number => (s.type === "box" ? s.half[2] : s.halfHeight);

/** World centre of an object's volume (its base origin raised by half its height, rotated). */
export function objectCenter(shape: ObjectShape, pose: { pos: number[]; quat: number[] }): number[] {
  const o = rotate(pose.quat, [0, 0, halfHeight(shape)]);
  return [pose.pos[0] + o[0], pose.pos[1] + o[1], pose.pos[2] + o[2]];
}

/** Points on the object's outline: box corners, or 16 points on each cylinder rim. */
export function outlinePoints(shape: ObjectShape, pose: { pos: number[]; quat: number[] }): number[][] {
  const local: number[][] = [];
  if (shape.type === "box") {
    const [hx, hy, hz] = shape.half;
    for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const z of [0, 2 * hz]) local.push([sx * hx, sy * hy, z]);
  } else {
    for (let i = 0; i < 16; i++) {
      const a = (2 * Math.PI * i) / 16;
      for (const z of [0, 2 * shape.halfHeight]) local.push([shape.radius * Math.cos(a), shape.radius * Math.sin(a), z]);
    }
  }
  return local.map((l) => {
    const r = rotate(pose.quat, l);
    return [pose.pos[0] + r[0], pose.pos[1] + r[1], pose.pos[2] + r[2]];
  });
}

export interface ObjectInView {
  /** Index into scene.objects. */
  index: number;
  /** Projected centre (continuous pixel coordinates). */
  center: Projected;
  /** Outline's bounding box clipped to the image: [x1, y1, x2, y2] in continuous pixels. */
  box: [number, number, number, number];
  /** Fraction of the unclipped box that lies inside the image. */
  inside: number;
}

/**
 * Objects whose centre projects inside the image, in front of the camera, with at least
 * `minInside` of their box in frame. Occlusion is not modelled (the renderer records no
 * segmentation), so an object hidden behind the arm still counts.
 */
export function objectsInView(scene: SceneTruth, camera: string, t: number, minInside = 0.5): ObjectInView[] {
  const cam = scene.cameras[camera];
  if (!cam) return [];
  const c = cameraFrameAt(cam, t);
  const out: ObjectInView[] = [];
  scene.objects.forEach((o, k) => {
    const pose = objectPose(scene, t, k);
    const center = projectPoint(c, objectCenter(o.shape, pose));
    if (!(center.depth > 0.01 && center.u >= 0 && center.u < c.width && center.v >= 0 && center.v < c.height)) return;
    const pts = outlinePoints(o.shape, pose).map((p) => projectPoint(c, p));
    if (pts.some((p) => p.depth <= 0.01)) return;
    const x1 = Math.min(...pts.map((p) => p.u)), x2 = Math.max(...pts.map((p) => p.u));
    const y1 = Math.min(...pts.map((p) => p.v)), y2 = Math.max(...pts.map((p) => p.v));
    const clip: [number, number, number, number] = [Math.max(0, x1), Math.max(0, y1), Math.min(c.width, x2), Math.min(c.height, y2)];
    const area = (x2 - x1) * (y2 - y1);
    const inside = area > 0 ? ((clip[2] - clip[0]) * (clip[3] - clip[1])) / area : 0;
    if (inside >= minInside) out.push({ index: k, center, box: clip, inside });
  });
  return out;
}

/**
 * Continuous pixel coordinates of the recorded image → integer coordinates of the image as the
 * model sees it after resizing to `to` (Qwen2.5-VL grounding uses absolute pixels of the resized
 * image). A point at the recorded pixel's centre lands on the corresponding resized position.
 */
export function toResized(x: number, y: number, from: { width: number; height: number }, to: { width: number; height: number }): [number, number] {
  const sx = Math.round((x * to.width) / from.width);
  const sy = Math.round((y * to.height) / from.height);
  return [Math.min(to.width - 1, Math.max(0, sx)), Math.min(to.height - 1, Math.max(0, sy))];
}
