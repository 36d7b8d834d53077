// SFT and GRPO samples generated from robot episodes (the embedded world's, or any dataset's):
// FAST action QA with the Figure 5 prompt (target = FAST tokens of the next action chunk), robot
// QA on the end effector (movement direction, current state, next states), and the GRPO prompt
// set (RL system prompt + Figure 5 prompt, target FAST ids). RoboAlign §4.1 / Appendix A.3.
import type { FastCodec } from "../../fast/codec.js";
import { renderActionAnswer } from "../../fast/action-vocab.js";
import type { ChatMessage } from "../../text/chat-template.js";
import type { RgbImage } from "../../vision/image-processor.js";
import type { Episode } from "../episode.js";
import { actionChunkAt } from "./action-chunks.js";
import { fastTokenPrompt, RL_SYSTEM_PROMPT, SFT_SYSTEM_PROMPT } from "./prompts.js";

export interface SourceSample {
  source: string;
  messages: ChatMessage[];
  images: RgbImage[];
}

export interface RlPrompt {
  messages: ChatMessage[];
  images: RgbImage[];
  /** FAST ids of the next action chunk: what the accuracy reward compares against. */
  targetFastIds: number[];
}

async function frameAt(ep: Episode, camera: string, t: number): Promise<RgbImage> {
  const f = await ep.images[camera]?.frame(t);
  if (!f) throw new Error(`episode ${ep.id}: camera ${camera} has no decodable frame ${t}`);
  return { data: f.data, height: f.height, width: f.width };
}

/** Steps `stride` apart, starting at 0. */
function sampledSteps(ep: Episode, stride: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < ep.steps; t += stride) out.push(t);
  return out;
}

export interface FastQaOptions {
  codec: FastCodec;
  horizon: number;
  camera?: string;
  stride?: number;
}

/** FAST action QA: image at step t + Figure 5 prompt → `<action_start>…<action_end>` of actions t..t+H. */
export async function fastActionQa(ep: Episode, o: FastQaOptions): Promise<SourceSample[]> {
  const out: SourceSample[] = [];
  for (const t of sampledSteps(ep, o.stride ?? 1)) {
    const ids = o.codec.encode(actionChunkAt(ep.actions, ep.actionDim, ep.steps, t, o.horizon));
    out.push({
      source: "fast-action",
      images: [await frameAt(ep, o.camera ?? "image", t)],
      messages: [
        { role: "system", content: SFT_SYSTEM_PROMPT },
        { role: "user", content: [{ type: "image" }, { type: "text", text: fastTokenPrompt(ep.instruction) }] },
        { role: "assistant", content: renderActionAnswer(ids) },
      ],
    });
  }
  return out;
}

/** The GRPO prompt set: the same images and prompt under the RL system prompt, with target ids. */
export async function rlPrompts(ep: Episode, o: FastQaOptions): Promise<RlPrompt[]> {
  const out: RlPrompt[] = [];
  for (const t of sampledSteps(ep, o.stride ?? 1)) {
    const ids = o.codec.encode(actionChunkAt(ep.actions, ep.actionDim, ep.steps, t, o.horizon));
    out.push({
      images: [await frameAt(ep, o.camera ?? "image", t)],
      messages: [
        { role: "system", content: RL_SYSTEM_PROMPT },
        { role: "user", content: [{ type: "image" }, { type: "text", text: fastTokenPrompt(ep.instruction) }] },
      ],
      targetFastIds: Array.from(ids),
    });
  }
  return out;
}

/** Words for the +/- directions of x, y, z, as the embedded world's instructions name them (+x away from the robot base, -y "left"). */
const AXES: [string, string][] = [
  ["forward", "backward"],
  ["right", "left"],
  ["up", "down"],
];

/** The dominant end-effector motion between two positions, in words ("move left", "stay"). */
export function movementWords(from: ArrayLike<number>, to: ArrayLike<number>, threshold = 0.01): string {
  let best = -1;
  let size = threshold;
  for (let k = 0; k < 3; k++) {
    const d = Math.abs(to[k] - from[k]);
    if (d > size) {
      size = d;
      best = k;
    }
  }
  if (best < 0) return "stay";
  return `move ${to[best] - from[best] > 0 ? AXES[best][0] : AXES[best][1]}`;
}

const fmt = (xs: ArrayLike<number>) => `[${Array.from(xs, (x) => x.toFixed(3)).join(", ")}]`;

export interface RobotQaOptions {
  camera?: string;
  stride?: number;
  /** Steps ahead for the movement question and the number of future states. */
  lookahead?: number;
}

/**
 * Robot QA on the state (the BridgeV2/Droid "Robot QA" of Appendix A.3): where the gripper moves
 * next, the current state, and the next states. Needs an episode with states whose first three
 * numbers are the end-effector position.
 */
export async function robotQa(ep: Episode, o: RobotQaOptions = {}): Promise<SourceSample[]> {
  if (!ep.states || !ep.stateDim || ep.stateDim < 3) return [];
  const D = ep.stateDim;
  const k = o.lookahead ?? 5;
  const state = (t: number) => ep.states!.subarray(t * D, (t + 1) * D);
  const out: SourceSample[] = [];
  for (const t of sampledSteps(ep, o.stride ?? 5)) {
    const next = Math.min(t + k, ep.steps - 1);
    const image = await frameAt(ep, o.camera ?? "image", t);
    const ask = (q: string, a: string): SourceSample => ({
      source: "robot-qa",
      images: [image],
      messages: [
        { role: "user", content: [{ type: "image" }, { type: "text", text: `The robot's task is ${ep.instruction}. ${q}` }] },
        { role: "assistant", content: a },
      ],
    });
    out.push(ask("Which way should the gripper move next?", movementWords(state(t), state(next))));
    out.push(ask(`What is the robot's current state (${ep.stateNames?.join(", ") ?? `${D} numbers`})?`, fmt(state(t))));
    const future = Array.from({ length: k }, (_, i) => fmt(state(Math.min(t + 1 + i, ep.steps - 1)))).join("\n");
    out.push(ask(`What are the robot's next ${k} states?`, future));
  }
  return out;
}
