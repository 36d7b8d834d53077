// Spatial VQA, grounding, scene captions and reasoning MCQs on a constructed scene whose answers
// are known by hand.
import { describe, expect, it } from "vitest";
import type { StepQuestions } from "../../../../src/data/sources/step-questions.js";
import {
  cameraFrameAt,
  GROUNDING_QUESTIONS,
  grounding,
  MCQ_QUESTIONS,
  modelImageSize,
  objectCenter,
  objectPhrases,
  objectPose,
  projectPoint,
  reasoningMcq,
  RL_SYSTEM_PROMPT,
  sceneCaption,
  SPATIAL_QUESTIONS,
  spatialVqa,
} from "../../../../src/data/sources/index.js";
import { constructedEpisode } from "./scene-fixture.js";

const { ep } = constructedEpisode();
const RED = 0, PLATE = 1, BLUE = 2, BOWL = 3;
const image = async () => ({ data: new Uint8Array(64 * 64 * 3), height: 64, width: 64 });
const text = async (g: StepQuestions, t: number, q: number, a = -1, b = -1) => {
  const s = await g.build(ep, t, { q, a, b }, image);
  const user = s.messages.find((m) => m.role === "user")!.content as { type: string; text?: string }[];
  expect(user[0]).toEqual({ type: "image" });
  expect(s.images).toHaveLength(1);
  return { question: user[1].text!, answer: s.messages[s.messages.length - 1].content as string, messages: s.messages };
};
const all = (g: StepQuestions, t: number) => g.keys(ep, t, () => 0.5);

describe("spatial VQA", () => {
  const g = spatialVqa({ perStep: 100 });
  it("answers left/right from the camera's view", async () => {
    expect((await text(g, 0, SPATIAL_QUESTIONS.leftOf, RED, PLATE)).answer).toBe("Yes.");
    const r = await text(g, 0, SPATIAL_QUESTIONS.leftOf, PLATE, RED);
    expect(r.question).toBe("Is the plate to the left of the red block from the camera's view?");
    expect(r.answer).toBe("No.");
  });
  it("names the object closest to the gripper and measures distances", async () => {
    const keys = all(g, 0);
    expect(keys.filter((k) => k.q === SPATIAL_QUESTIONS.closestToGripper)).toEqual([{ q: SPATIAL_QUESTIONS.closestToGripper, a: BLUE, b: -1 }]);
    expect((await text(g, 0, SPATIAL_QUESTIONS.closestToGripper, BLUE)).answer).toBe("The blue block.");
    // red block and plate centres: 0.30 m apart in y, heights 0.02 and 0.006 → 30 cm
    expect((await text(g, 0, SPATIAL_QUESTIONS.distance, RED, PLATE)).answer).toBe("About 30 cm.");
    // every left/right pair it asks about has a clear gap, in both orders
    const lr = keys.filter((k) => k.q === SPATIAL_QUESTIONS.leftOf);
    expect(lr.length).toBeGreaterThan(4);
    for (const k of lr) expect(lr).toContainEqual({ q: k.q, a: k.b, b: k.a });
  });
  it("leaves out objects it cannot name unambiguously or that are out of frame", () => {
    const twin = constructedEpisode(1).ep;
    twin.scene!.objects[BLUE] = { ...twin.scene!.objects[BLUE], color: "red", name: "red_block_2" };
    expect(objectPhrases(twin.scene!)).toEqual([null, "plate", null, "bowl"]);
    const keys = spatialVqa({ perStep: 100 }).keys(twin, 0, () => 0.5);
    expect(keys.every((k) => k.a !== RED && k.a !== BLUE && k.b !== RED && k.b !== BLUE)).toBe(true);
    const far = constructedEpisode(1).ep;
    far.scene!.objectPositions.set([0, 3, 0], 0); // red block far off to the side
    expect(spatialVqa({ perStep: 100 }).keys(far, 0, () => 0.5).some((k) => k.a === RED || k.b === RED)).toBe(false);
  });
});

describe("grounding", () => {
  const g = grounding({ perStep: 100 });
  it("points at the projected centre in resized-image pixels", async () => {
    const to = modelImageSize(64, 64);
    expect(to).toEqual({ height: 56, width: 56 });
    const c = projectPoint(cameraFrameAt(ep.scene!.cameras.image, 0), objectCenter(ep.scene!.objects[RED].shape, objectPose(ep.scene!, 0, RED)));
    const r = await text(g, 0, GROUNDING_QUESTIONS.point, RED);
    expect(r.question).toMatch(/^Point to the red block\./);
    const a = JSON.parse(r.answer) as { point_2d: [number, number]; label: string };
    expect(a.label).toBe("red block");
    expect(a.point_2d).toEqual([Math.round((c.u * 56) / 64), Math.round((c.v * 56) / 64)]);
    expect(a.point_2d[0]).toBeLessThan(28); // left half: the red block is at -y
  });
  it("boxes an object around its centre, wider for the plate than for a block", async () => {
    const box = async (k: number) => (JSON.parse((await text(g, 0, GROUNDING_QUESTIONS.box, k)).answer) as { bbox_2d: number[] }).bbox_2d;
    const [x1, y1, x2, y2] = await box(PLATE);
    const [bx1, , bx2] = await box(BLUE);
    const p = JSON.parse((await text(g, 0, GROUNDING_QUESTIONS.point, PLATE)).answer).point_2d as number[];
    expect(x1 < p[0] && p[0] < x2 && y1 < p[1] && p[1] < y2).toBe(true);
    expect(x2 - x1).toBeGreaterThan(2 * (bx2 - bx1));
    expect(all(g, 0).filter((k) => k.q === GROUNDING_QUESTIONS.box).map((k) => k.a).sort()).toEqual([RED, PLATE, BLUE, BOWL].sort());
  });
});

describe("scene caption", () => {
  it("lists the objects in view", async () => {
    const r = await text(sceneCaption(), 0, 0);
    expect(r.question).toBe("What objects are on the table?");
    expect(r.answer).toBe("A red block, a white plate, a blue block and a black bowl.");
  });
});

describe("reasoning MCQ", () => {
  const g = reasoningMcq({ perStep: 100, seed: 3 });
  const parse = (answer: string) => {
    const m = /^<think>([^<]+)<\/think><answer>([A-D])<\/answer>$/.exec(answer);
    expect(m, answer).not.toBeNull();
    return { think: m![1], letter: m![2] };
  };
  const chosen = (question: string, letter: string) => new RegExp(`^${letter}\\. (.+)$`, "m").exec(question)![1];

  it("answers in the think/answer format with the right option, under the RL system prompt", async () => {
    const checks: [number, number, string][] = [
      [0, MCQ_QUESTIONS.objectToMove, "The blue block"],
      [3, MCQ_QUESTIONS.objectToMove, "The red block"],
      [0, MCQ_QUESTIONS.destination, "On the plate"],
      [3, MCQ_QUESTIONS.destination, "In the bowl"],
      [0, MCQ_QUESTIONS.nextSubtask, "Put the blue block on the plate"],
      [2, MCQ_QUESTIONS.nextSubtask, "Put the red block in the bowl"],
      [1, MCQ_QUESTIONS.gripper, "Keep the gripper open"],
      [2, MCQ_QUESTIONS.gripper, "Close the gripper"],
      [3, MCQ_QUESTIONS.gripper, "Keep the gripper closed"],
    ];
    for (const [t, q, want] of checks) {
      const r = await text(g, t, q);
      expect(r.messages[0]).toEqual({ role: "system", content: RL_SYSTEM_PROMPT });
      const options = r.question.split("\n").filter((l) => /^[A-D]\. /.test(l));
      expect(options.length).toBeGreaterThanOrEqual(3);
      expect(options.length).toBeLessThanOrEqual(4);
      const { think, letter } = parse(r.answer);
      expect(chosen(r.question, letter), `step ${t} question ${q}`).toBe(want);
      expect(think.length).toBeGreaterThan(20);
    }
  });

  it("names a drawer step as the next subtask and asks no destination for it", async () => {
    const d = constructedEpisode(4, "drawer").ep;
    const scene = d.scene!;
    scene.objects = [...scene.objects, { name: "cabinet", kind: "cabinet", color: "white", shape: { type: "box", half: [0.08, 0.1, 0.05] } }];
    const n = scene.objects.length;
    const pos = new Float64Array(4 * n * 3), quat = new Float64Array(4 * n * 4);
    for (let t = 0; t < 4; t++) {
      pos.set(scene.objectPositions.subarray(t * (n - 1) * 3, (t + 1) * (n - 1) * 3), t * n * 3);
      pos.set([0.1, -0.3, 0], (t * n + n - 1) * 3);
      quat.set(scene.objectQuats.subarray(t * (n - 1) * 4, (t + 1) * (n - 1) * 4), t * n * 4);
      quat.set([1, 0, 0, 0], (t * n + n - 1) * 4);
    }
    scene.objectPositions = pos;
    scene.objectQuats = quat;
    scene.plan = [{ op: "open", obj: "cabinet" }, scene.plan![0]];
    const keys = reasoningMcq({ perStep: 100 }).keys(d, 0, () => 0.5).map((k) => k.q);
    expect(keys).not.toContain(MCQ_QUESTIONS.destination);
    const s = await reasoningMcq({ seed: 3 }).build(d, 0, { q: MCQ_QUESTIONS.nextSubtask, a: -1, b: -1 }, image);
    const question = (s.messages.find((m) => m.role === "user")!.content as { text?: string }[])[1].text!;
    const { letter } = parse(s.messages[s.messages.length - 1].content as string);
    expect(chosen(question, letter)).toBe("Open the drawer of the cabinet");
  });

  it("is deterministic given the seed and asks nothing once the plan is done", async () => {
    const a = await text(g, 0, MCQ_QUESTIONS.destination);
    expect((await text(reasoningMcq({ seed: 3 }), 0, MCQ_QUESTIONS.destination)).question).toBe(a.question);
    const done = constructedEpisode(1).ep;
    done.scene!.planDone = Uint8Array.from([1, 1]);
    const keys = reasoningMcq({ perStep: 100 }).keys(done, 0, () => 0.5).map((k) => k.q);
    expect(keys).toEqual([MCQ_QUESTIONS.gripper]);
  });
});
