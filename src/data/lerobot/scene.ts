// Simulator ground truth beside a LeRobot v2 episode (scene/chunk-XXX/episode_XXXXXX.json, see
// ./layout.ts): objects, per-step object poses, cameras and plan progress. A sidecar file rather
// than parquet columns because LeRobot fixes one feature shape per dataset, while tasks of one
// suite differ in their object count; tools that do not know the file ignore it.
import type { CameraModel, SceneObject, SceneTruth } from "../episode.js";

export const SCENE_FORMAT = "roboalign-scene-v1";

interface SceneJson {
  format: string;
  steps: number;
  objects: SceneObject[];
  object_positions: number[];
  object_quats: number[];
  cameras: Record<string, { width: number; height: number; fovy_deg: number; poses: number[] }>;
  plan?: SceneTruth["plan"];
  plan_done?: number[];
}

/** Rounded to 0.01 mm / 1e-6: keeps files small without changing any projected pixel. */
const round = (a: ArrayLike<number>, digits: number): number[] => Array.from(a, (x) => Number(x.toFixed(digits)));

export function sceneToJson(scene: SceneTruth, steps: number): string {
  const doc: SceneJson = {
    format: SCENE_FORMAT,
    steps,
    objects: scene.objects,
    object_positions: round(scene.objectPositions, 5),
    object_quats: round(scene.objectQuats, 5),
    cameras: Object.fromEntries(Object.entries(scene.cameras).map(([k, c]) => [k, { width: c.width, height: c.height, fovy_deg: c.fovyDeg, poses: round(c.poses, 6) }])),
  };
  if (scene.plan) doc.plan = scene.plan;
  if (scene.planDone) doc.plan_done = Array.from(scene.planDone);
  return JSON.stringify(doc);
}

/** Parses and checks a scene file against the episode's step count; returns why it is unusable instead of throwing. */
export function sceneFromJson(text: string, steps: number): SceneTruth | string {
  let d: SceneJson;
  try {
    d = JSON.parse(text) as SceneJson;
  } catch (e) {
    return `malformed scene JSON (${(e as Error).message})`;
  }
  if (d?.format !== SCENE_FORMAT) return `unknown scene format ${JSON.stringify(d?.format)} (expected ${SCENE_FORMAT})`;
  if (d.steps !== steps) return `scene has ${d.steps} steps, the episode ${steps}`;
  const n = Array.isArray(d.objects) ? d.objects.length : -1;
  if (n < 0 || d.object_positions?.length !== steps * n * 3 || d.object_quats?.length !== steps * n * 4) return "scene object arrays do not match steps × objects";
  const cameras: Record<string, CameraModel> = {};
  for (const [k, c] of Object.entries(d.cameras ?? {})) {
    if (!(c.poses?.length === 9 || c.poses?.length === 9 * steps)) return `scene camera ${k} has ${c.poses?.length} pose numbers, expected 9 or 9 × ${steps}`;
    cameras[k] = { width: c.width, height: c.height, fovyDeg: c.fovy_deg, poses: Float64Array.from(c.poses) };
  }
  const scene: SceneTruth = { objects: d.objects, objectPositions: Float64Array.from(d.object_positions), objectQuats: Float64Array.from(d.object_quats), cameras };
  if (d.plan) {
    scene.plan = d.plan;
    if (d.plan_done?.length === steps * d.plan.length) scene.planDone = Uint8Array.from(d.plan_done);
  }
  return scene;
}
