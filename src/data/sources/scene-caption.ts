// A cheap general-VQA source from simulator ground truth: "What objects are on the table?"
// answered with the objects in view, counted by colour and kind ("two black blocks and a white plate").
import { objectsInView } from "./camera-projection.js";
import { imageQuestion, type StepQuestions } from "./step-questions.js";
import { listWords } from "./scene-words.js";

const NUMBERS = ["no", "a", "two", "three", "four", "five", "six"];

export interface SceneCaptionOptions {
  camera?: string;
  stride?: number;
}

export function sceneCaption(o: SceneCaptionOptions = {}): StepQuestions {
  const camera = o.camera ?? "image";
  return {
    name: "sim-scene-caption",
    kind: "general-vqa",
    stride: o.stride ?? 10,
    camera,
    keys(ep, t) {
      if (!ep.scene || !ep.images[camera]) return [];
      return objectsInView(ep.scene, camera, t).length > 0 ? [{ q: 0, a: -1, b: -1 }] : [];
    },
    async build(ep, t, _key, image) {
      const scene = ep.scene!;
      const counts = new Map<string, number>();
      for (const v of objectsInView(scene, camera, t)) {
        const ob = scene.objects[v.index];
        const k = `${ob.color} ${ob.kind}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const parts = [...counts].map(([k, n]) => `${NUMBERS[n] ?? n} ${k}${n > 1 ? "s" : ""}`);
      const text = listWords(parts);
      return imageQuestion("sim-scene-caption", await image(), "What objects are on the table?", `${text[0].toUpperCase()}${text.slice(1)}.`);
    },
  };
}
