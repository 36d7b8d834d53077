// Spatial VQA from simulator ground truth, in the spirit of RefSpatial / RoboPoint's relation
// questions (RoboAlign Appendix A.3, embodied VQA): left/right as seen from the camera, which
// object is closest to the gripper, and metric distances. Only objects whose centre projects into
// the frame (./camera-projection.ts) and that can be named unambiguously (./scene-words.ts) are asked about.
import type { Episode } from "../episode.js";
import { objectCenter, objectPose, objectsInView } from "./camera-projection.js";
import { objectPhrases } from "./scene-words.js";
import { gripperPosition, imageQuestion, type QuestionKey, shuffled, type StepQuestions } from "./step-questions.js";

export const SPATIAL_QUESTIONS = { leftOf: 0, closestToGripper: 1, distance: 2 } as const;

export interface SpatialVqaOptions {
  camera?: string;
  stride?: number;
  /** Questions kept per step (chosen at random among the valid ones). */
  perStep?: number;
}

const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

function centers(ep: Episode, t: number): number[][] {
  const s = ep.scene!;
  return s.objects.map((o, k) => objectCenter(o.shape, objectPose(s, t, k)));
}

export function spatialVqa(o: SpatialVqaOptions = {}): StepQuestions {
  const camera = o.camera ?? "image";
  return {
    name: "sim-spatial-vqa",
    kind: "embodied-vqa",
    stride: o.stride ?? 5,
    camera,
    keys(ep, t, rand) {
      const scene = ep.scene;
      if (!scene || !ep.images[camera]) return [];
      const names = objectPhrases(scene);
      const seen = objectsInView(scene, camera, t).filter((v) => names[v.index] !== null);
      const keys: QuestionKey[] = [];
      // Left/right needs a clear horizontal gap (4% of the width) so rounding cannot flip the answer.
      const margin = 0.04 * scene.cameras[camera].width;
      for (let i = 0; i < seen.length; i++)
        for (let j = 0; j < seen.length; j++)
          if (i !== j && Math.abs(seen[i].center.u - seen[j].center.u) > margin) keys.push({ q: SPATIAL_QUESTIONS.leftOf, a: seen[i].index, b: seen[j].index });
      const ee = gripperPosition(ep, t);
      if (ee && seen.length >= 2) {
        // Every object counts as a candidate (a nameless one can still be the closest); the answer must be nameable and clear by 2 cm.
        const c = centers(ep, t);
        const order = c.map((p, k) => ({ k, d: dist(p, ee) })).sort((x, y) => x.d - y.d);
        const best = order[0];
        if (names[best.k] !== null && seen.some((v) => v.index === best.k) && order[1].d - best.d > 0.02) keys.push({ q: SPATIAL_QUESTIONS.closestToGripper, a: best.k, b: -1 });
      }
      for (let i = 0; i < seen.length; i++)
        for (let j = i + 1; j < seen.length; j++) keys.push({ q: SPATIAL_QUESTIONS.distance, a: seen[i].index, b: seen[j].index });
      return shuffled(keys, rand).slice(0, o.perStep ?? 3);
    },
    async build(ep, t, key, image) {
      const scene = ep.scene!;
      const names = objectPhrases(scene);
      const a = names[key.a]!, b = key.b >= 0 ? names[key.b]! : "";
      let question: string, answer: string;
      if (key.q === SPATIAL_QUESTIONS.leftOf) {
        const view = objectsInView(scene, camera, t, 0);
        const ua = view.find((v) => v.index === key.a)!.center.u, ub = view.find((v) => v.index === key.b)!.center.u;
        question = `Is the ${a} to the left of the ${b} from the camera's view?`;
        answer = ua < ub ? "Yes." : "No.";
      } else if (key.q === SPATIAL_QUESTIONS.closestToGripper) {
        question = "Which object is closest to the robot's gripper?";
        answer = `The ${a}.`;
      } else {
        const c = centers(ep, t);
        question = `How far is the ${a} from the ${b}, in centimetres (centre to centre)?`;
        answer = `About ${Math.round(dist(c[key.a], c[key.b]) * 100)} cm.`;
      }
      return imageQuestion("sim-spatial-vqa", await image(), question, answer);
    },
  };
}
