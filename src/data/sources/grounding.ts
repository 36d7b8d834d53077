// Grounding from simulator ground truth (RoboPoint-style pointing, RefSpatial-style boxes;
// RoboAlign Appendix A.3 embodied VQA). Coordinates follow Qwen2.5-VL's grounding convention:
// absolute integer pixels of the image as the model sees it, i.e. after smart_resize (for a
// 128×128 frame with the hub processor, 140×140), origin at the top-left, x to the right, y down;
// answers are JSON objects {"point_2d": [x, y], "label"} or {"bbox_2d": [x1, y1, x2, y2], "label"}.
import { resolveImageProcessorOptions, type ImageProcessorOptions } from "../../vision/processor-config.js";
import { smartResize } from "../../vision/smart-resize.js";
import { objectsInView, toResized } from "./camera-projection.js";
import { objectPhrases } from "./scene-words.js";
import { imageQuestion, type QuestionKey, shuffled, type StepQuestions } from "./step-questions.js";

export const GROUNDING_QUESTIONS = { point: 0, box: 1 } as const;

export interface GroundingOptions {
  camera?: string;
  stride?: number;
  perStep?: number;
  /** The model's image processor (for the resized size); Qwen2.5-VL hub defaults otherwise. */
  image?: Partial<ImageProcessorOptions>;
}

/** The size a frame is resized to before the vision tower sees it. */
export function modelImageSize(height: number, width: number, image?: Partial<ImageProcessorOptions>): { height: number; width: number } {
  const o = resolveImageProcessorOptions(image);
  if (!o.doResize) return { height, width };
  return smartResize(height, width, { factor: o.patchSize * o.mergeSize, minPixels: o.minPixels, maxPixels: o.maxPixels });
}

export function grounding(o: GroundingOptions = {}): StepQuestions {
  const camera = o.camera ?? "image";
  return {
    name: "sim-grounding",
    kind: "embodied-vqa",
    stride: o.stride ?? 5,
    camera,
    keys(ep, t, rand) {
      const scene = ep.scene;
      if (!scene || !ep.images[camera]) return [];
      const names = objectPhrases(scene);
      const keys: QuestionKey[] = [];
      for (const v of objectsInView(scene, camera, t)) {
        if (names[v.index] === null) continue;
        keys.push({ q: GROUNDING_QUESTIONS.point, a: v.index, b: -1 });
        // Boxes only for objects wholly in frame: a clipped box would not describe the object.
        if (v.inside > 0.99) keys.push({ q: GROUNDING_QUESTIONS.box, a: v.index, b: -1 });
      }
      return shuffled(keys, rand).slice(0, o.perStep ?? 2);
    },
    async build(ep, t, key, image) {
      const scene = ep.scene!;
      const cam = scene.cameras[camera];
      const label = objectPhrases(scene)[key.a]!;
      const v = objectsInView(scene, camera, t, 0).find((x) => x.index === key.a)!;
      const img = await image();
      const to = modelImageSize(img.height, img.width, o.image);
      const from = { width: cam.width, height: cam.height };
      if (key.q === GROUNDING_QUESTIONS.point) {
        const [x, y] = toResized(v.center.u, v.center.v, from, to);
        const q = `Point to the ${label}. Answer with JSON {"point_2d": [x, y], "label": ...} in pixel coordinates of the image.`;
        return imageQuestion("sim-grounding", img, q, JSON.stringify({ point_2d: [x, y], label }));
      }
      const [x1, y1] = toResized(v.box[0], v.box[1], from, to);
      const [x2, y2] = toResized(v.box[2], v.box[3], from, to);
      const q = `Give the bounding box of the ${label}. Answer with JSON {"bbox_2d": [x1, y1, x2, y2], "label": ...} in pixel coordinates of the image.`;
      return imageQuestion("sim-grounding", img, q, JSON.stringify({ bbox_2d: [x1, y1, x2, y2], label }));
    },
  };
}
