// A hand-built episode with scene ground truth (no simulator): a front camera at x = 1 looking
// down -x (image-right = +y), a red block left, a plate right, a blue block in the middle under
// the gripper; frames are counted so tests can see when pixels are decoded.
import { cameraStream, type Episode, type SceneObject } from "../../../../src/data/episode.js";

export interface Counted {
  ep: Episode;
  decoded: { n: number };
}

export function constructedEpisode(steps = 4, id = "constructed"): Counted {
  const decoded = { n: 0 };
  const objects: SceneObject[] = [
    { name: "red_block", kind: "block", color: "red", shape: { type: "box", half: [0.02, 0.02, 0.02] } },
    { name: "plate", kind: "plate", color: "white", shape: { type: "cylinder", radius: 0.07, halfHeight: 0.006 } },
    { name: "blue_block", kind: "block", color: "blue", shape: { type: "box", half: [0.02, 0.02, 0.02] } },
    { name: "bowl", kind: "bowl", color: "black", shape: { type: "cylinder", radius: 0.069, halfHeight: 0.018 } },
  ];
  const pos = [
    [0, -0.15, 0],
    [0, 0.15, 0],
    [0.05, 0, 0],
    [-0.1, 0.05, 0],
  ];
  const objectPositions = new Float64Array(steps * objects.length * 3);
  const objectQuats = new Float64Array(steps * objects.length * 4);
  for (let t = 0; t < steps; t++)
    objects.forEach((_, k) => {
      objectPositions.set(pos[k], (t * objects.length + k) * 3);
      objectQuats.set([1, 0, 0, 0], (t * objects.length + k) * 4);
    });
  // gripper above the blue block; closes at step 2
  const states = new Float64Array(steps * 8);
  const actions = new Float64Array(steps * 7);
  for (let t = 0; t < steps; t++) {
    states.set([0.05, 0, 0.08, 0, 1, 0, 0, 0.08], t * 8);
    actions[t * 7 + 6] = t >= 2 ? 1 : -1;
  }
  const W = 64;
  const frame = async (t: number) => {
    decoded.n++;
    return { height: W, width: W, channels: 3, data: new Uint8Array(W * W * 3).fill(t) };
  };
  const ep: Episode = {
    id,
    instruction: "put the blue block on the plate and the red block in the bowl",
    steps,
    actions,
    actionDim: 7,
    states,
    stateDim: 8,
    stateNames: ["ee_pos.x", "ee_pos.y", "ee_pos.z", "ee_quat.w", "ee_quat.x", "ee_quat.y", "ee_quat.z", "gripper"],
    images: { image: cameraStream(steps, W, W, frame) },
    scene: {
      objects,
      objectPositions,
      objectQuats,
      cameras: { image: { width: W, height: W, fovyDeg: 45, poses: Float64Array.from([1, 0, 0.5, -1, 0, -0.5, 0, 0, 1]) } },
      plan: [
        { op: "place", obj: "blue_block", target: "plate", relation: "on" },
        { op: "place", obj: "red_block", target: "bowl", relation: "in" },
      ],
      // step 0..1: nothing done; step 2..: the first op done
      planDone: Uint8Array.from(Array.from({ length: steps }, (_, t) => [t >= 2 ? 1 : 0, 0]).flat()),
    },
    source: { format: "sim", path: "constructed", index: 0 },
  };
  return { ep, decoded };
}
