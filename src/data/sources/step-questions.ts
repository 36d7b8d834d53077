// The shape every episode-derived sample generator takes, so a catalog can index them cheaply:
// `keys` lists the questions one step supports from numbers alone (states, actions, scene ground
// truth; no pixels), `build` renders one of them with the step's image, decoded only then.
import type { RgbImage } from "../../vision/image-processor.js";
import type { SourceKind } from "../mixture/config.js";
import type { Episode } from "../episode.js";
import type { SourceSample } from "./episode-sources.js";

/** One question at one step: a type `q` and up to two operands (object indices, option seeds…). */
export interface QuestionKey {
  q: number;
  a: number;
  b: number;
}

export interface StepQuestions {
  name: string;
  kind: SourceKind;
  /** Steps `stride` apart are used, from 0. */
  stride: number;
  /** Which camera's frame the sample shows. */
  camera: string;
  /** Questions at step t; `rand` is seeded by (source, episode, step) so the list is reproducible. */
  keys(ep: Episode, t: number, rand: () => number): QuestionKey[];
  /** The sample for one key; `image()` decodes the frame. */
  build(ep: Episode, t: number, key: QuestionKey, image: () => Promise<RgbImage>): Promise<SourceSample>;
}

/** The user turn of a single-image question. */
export function imageQuestion(source: string, image: RgbImage, question: string, answer: string, system?: string): SourceSample {
  const messages: SourceSample["messages"] = [];
  if (system) messages.push({ role: "system", content: system });
  messages.push({ role: "user", content: [{ type: "image" }, { type: "text", text: question }] }, { role: "assistant", content: answer });
  return { source, images: [image], messages };
}

/** End-effector position at step t, when the episode's states start with it (the sim's do). */
export function gripperPosition(ep: Episode, t: number): number[] | null {
  if (!ep.states || !ep.stateDim || ep.stateDim < 3) return null;
  if (ep.stateNames && ep.stateNames[0] !== "ee_pos.x") return null;
  return Array.from(ep.states.subarray(t * ep.stateDim, t * ep.stateDim + 3));
}

/** Fisher–Yates on a copy, driven by `rand`. */
export function shuffled<T>(xs: readonly T[], rand: () => number): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
