// Multiple-choice reasoning questions about the task, answered as
// `<think>short rationale</think><answer>X</answer>` under the RL system prompt (RoboAlign §4.1:
// the SFT stage teaches the think/answer format that the GRPO format reward checks). Built from
// simulator ground truth: the recorded plan and its per-step progress, object positions and the
// gripper commands of the demonstration. Options are shuffled with a seed of (episode, step).
import type { Episode, PlanStep } from "../episode.js";
import { objectCenter, objectPose } from "./camera-projection.js";
import { RL_SYSTEM_PROMPT } from "./prompts.js";
import { hashSeed, objectPhrases, phraseOf } from "./scene-words.js";
import { gripperPosition, imageQuestion, type QuestionKey, shuffled, type StepQuestions } from "./step-questions.js";
import { rng } from "../../util/random.js";

export const MCQ_QUESTIONS = { objectToMove: 0, destination: 1, gripper: 2, nextSubtask: 3 } as const;
export const LETTERS = ["A", "B", "C", "D"];

const GRIPPER_OPTIONS = ["Close the gripper", "Open the gripper", "Keep the gripper closed", "Keep the gripper open"];

export interface ReasoningMcqOptions {
  camera?: string;
  stride?: number;
  perStep?: number;
  seed?: number;
}

/** Index of the first plan step not yet achieved at step t, or -1 (no plan, or all done). */
export function currentPlanStep(ep: Episode, t: number): number {
  const s = ep.scene;
  if (!s?.plan?.length || !s.planDone) return -1;
  const n = s.plan.length;
  for (let k = 0; k < n; k++) if (!s.planDone[t * n + k]) return k;
  return -1;
}

/** "put the red block on the plate" */
export function planStepWords(ep: Episode, p: PlanStep): string | null {
  const obj = phraseOf(ep.scene!, p.obj);
  if (!obj) return null;
  if (p.op === "lift") return `pick up the ${obj}`;
  if (p.op === "open" || p.op === "close") return `${p.op} the drawer of the ${obj}`;
  const target = p.target ? phraseOf(ep.scene!, p.target) : null;
  return target ? `put the ${obj} ${p.relation ?? "on"} the ${target}` : null;
}

/** Commanded gripper closing at step t (action dim 6 > 0, LIBERO's convention), and before it. */
function gripperCommands(ep: Episode, t: number): { before: boolean; now: boolean } | null {
  if (ep.actionDim < 7) return null;
  const at = (s: number) => ep.actions[s * ep.actionDim + 6] > 0;
  return { before: t > 0 ? at(t - 1) : false, now: at(t) };
}

function gripperAnswer(c: { before: boolean; now: boolean }): number {
  if (c.now && !c.before) return 0;
  if (!c.now && c.before) return 1;
  return c.now ? 2 : 3;
}

interface Mcq {
  question: string;
  options: string[];
  correct: number;
  rationale: string;
}

/** Renders the question with lettered options and the think/answer target. */
export function mcqMessages(ep: Episode, m: Mcq): { question: string; answer: string } {
  const lines = m.options.map((opt, i) => `${LETTERS[i]}. ${opt}`);
  const question = `The robot's task is: ${ep.instruction}.\n${m.question}\n${lines.join("\n")}\nAnswer with the letter of the correct option.`;
  return { question, answer: `<think>${m.rationale}</think><answer>${LETTERS[m.correct]}</answer>` };
}

/** Right option plus distractors (3 or 4 options in all), shuffled. */
function withDistractors(right: string, pool: string[], rand: () => number): { options: string[]; correct: number } | null {
  const others = shuffled([...new Set(pool.filter((p) => p !== right))], rand).slice(0, 3);
  if (others.length < 2) return null;
  const options = shuffled([right, ...others], rand);
  return { options, correct: options.indexOf(right) };
}

export function reasoningMcq(o: ReasoningMcqOptions = {}): StepQuestions {
  const camera = o.camera ?? "image";
  const seed = o.seed ?? 0;
  const make = (ep: Episode, t: number, q: number): Mcq | null => {
    const scene = ep.scene;
    if (!scene) return null;
    const rand = rng(hashSeed("mcq", seed, ep.id, t, q));
    const names = objectPhrases(scene);
    const k = currentPlanStep(ep, t);
    const step = k >= 0 ? scene.plan![k] : null;
    const stepWords = step ? planStepWords(ep, step) : null;
    const progress = k > 0 ? `steps done so far: ${k} of ${scene.plan!.length}; ` : "";
    if (q === MCQ_QUESTIONS.objectToMove) {
      if (!step || !stepWords) return null;
      const right = `The ${names[scene.objects.findIndex((x) => x.name === step.obj)]}`;
      const pool = scene.objects.map((x, i) => (names[i] ? `The ${names[i]}` : "")).filter((x) => x);
      const c = withDistractors(right, pool, rand);
      if (!c) return null;
      return { question: "Which object must the robot move next?", ...c, rationale: `The task needs: ${planSteps(ep)}. ${progress}the next step is to ${stepWords}, so the ${right.slice(4)} must be moved.` };
    }
    if (q === MCQ_QUESTIONS.destination) {
      if (!step || step.op !== "place" || !stepWords || !step.target) return null;
      const obj = phraseOf(scene, step.obj)!;
      const right = `${step.relation === "in" ? "In" : "On"} the ${phraseOf(scene, step.target)}`;
      const pool = scene.objects.flatMap((x, i) => (names[i] && x.name !== step.obj ? [`${x.kind === "bowl" || x.kind === "basket" ? "In" : "On"} the ${names[i]}`] : []));
      pool.push("Leave it where it is");
      const c = withDistractors(right, pool, rand);
      if (!c) return null;
      return { question: `Where should the robot put the ${obj}?`, ...c, rationale: `The instruction asks to ${stepWords}. So the ${obj} goes ${right.toLowerCase()}.` };
    }
    if (q === MCQ_QUESTIONS.gripper) {
      const cmd = gripperCommands(ep, t);
      const ee = gripperPosition(ep, t);
      if (!cmd || !ee) return null;
      const correct = gripperAnswer(cmd);
      const options = shuffled(GRIPPER_OPTIONS, rand);
      let near = "";
      if (step) {
        const j = scene.objects.findIndex((x) => x.name === step.obj);
        const c = objectCenter(scene.objects[j].shape, objectPose(scene, t, j));
        const cm = Math.round(Math.hypot(c[0] - ee[0], c[1] - ee[1], c[2] - ee[2]) * 100);
        near = names[j] ? ` The ${names[j]} is ${cm} cm from the gripper.` : "";
      }
      const drawer = step?.op === "open" || step?.op === "close";
      const why = drawer
        ? ["closed fingers hook the drawer handle", "the drawer is done and the hand lets go", "closed fingers move the drawer handle", "it is not at the drawer handle yet"][correct]
        : ["it is at the object and must grasp it", "the object is in place and must be released", "it is holding the object", "it holds nothing and is not at an object to grasp"][correct];
      return {
        question: "What should the gripper do now?",
        options,
        correct: options.indexOf(GRIPPER_OPTIONS[correct]),
        rationale: `The gripper is ${cmd.before ? "closed" : "open"}.${near} ${capital(why)}, so: ${GRIPPER_OPTIONS[correct].toLowerCase()}.`,
      };
    }
    if (q === MCQ_QUESTIONS.nextSubtask) {
      const plan = scene.plan ?? [];
      if (plan.length < 2 || !step || !stepWords) return null;
      const words = plan.map((p) => planStepWords(ep, p));
      if (words.some((w) => w === null)) return null;
      // Distractors: the other plan steps, and "already complete".
      const pool = [...(words as string[]).map(capital), "The task is already complete"];
      const c = withDistractors(capital(stepWords), pool, rand);
      if (!c) return null;
      return { question: "Which subtask should the robot do next?", ...c, rationale: `The task has ${plan.length} steps: ${planSteps(ep)}. ${progress.replace(/; $/, ".")} ${capital(stepWords)} is not done yet, so it comes next.`.replace(/\s+/g, " ") };
    }
    return null;
  };
  return {
    name: "sim-reasoning-mcq",
    kind: "reasoning",
    stride: o.stride ?? 10,
    camera,
    keys(ep, t, rand) {
      if (!ep.images[camera]) return [];
      const keys: QuestionKey[] = [];
      for (const q of Object.values(MCQ_QUESTIONS)) if (make(ep, t, q)) keys.push({ q, a: -1, b: -1 });
      return shuffled(keys, rand).slice(0, o.perStep ?? 2);
    },
    async build(ep, t, key, image) {
      const m = make(ep, t, key.q)!;
      const { question, answer } = mcqMessages(ep, m);
      return imageQuestion("sim-reasoning-mcq", await image(), question, answer, RL_SYSTEM_PROMPT);
    },
  };
}

function planSteps(ep: Episode): string {
  return (ep.scene?.plan ?? []).map((p, i) => `(${i + 1}) ${planStepWords(ep, p) ?? "a step"}`).join(", ");
}

const capital = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
