// FAST action QA with a short rationale, in the answer format the RL stage rewards: under the RL
// system prompt and the Figure 5 prompt, `<think>` says where the gripper goes next and what it
// does (from the recorded states and actions), `<answer>` holds the FAST tokens of the next
// chunk. A small share of these in Stage 1 makes the think/answer shape reachable for a model
// too small to compose it from the separate reasoning and action sources.
import type { FastCodec } from "../../fast/codec.js";
import { renderActionAnswer } from "../../fast/action-vocab.js";
import { actionChunkAt } from "./action-chunks.js";
import { movementWords } from "./episode-sources.js";
import { fastTokenPrompt, RL_SYSTEM_PROMPT } from "./prompts.js";
import type { StepQuestions } from "./step-questions.js";

export interface FastActionReasoningOptions {
  codec: FastCodec;
  horizon: number;
  camera?: string;
  stride?: number;
}

/** What the gripper does over the chunk: close / open / keep, from the last action dimension (−1 open … +1 close). */
function gripperWords(actions: Float64Array, dim: number, steps: number, t: number, horizon: number): string {
  const g = (k: number) => actions[Math.min(k, steps - 1) * dim + dim - 1];
  const now = g(t);
  const later = g(t + horizon - 1);
  if (now <= 0 && later > 0) return "then close the gripper";
  if (now > 0 && later <= 0) return "then open the gripper";
  return later > 0 ? "keeping the gripper closed" : "keeping the gripper open";
}

export function fastActionReasoning(o: FastActionReasoningOptions): StepQuestions {
  const camera = o.camera ?? "image";
  return {
    name: "sim-fast-action-reasoning",
    kind: "reasoning",
    stride: o.stride ?? 2,
    camera,
    keys: (ep) => (ep.images[camera] && ep.actionDim > 0 && ep.states && (ep.stateDim ?? 0) >= 3 ? [{ q: 0, a: -1, b: -1 }] : []),
    async build(ep, t, _key, image) {
      const D = ep.stateDim!;
      const end = Math.min(t + o.horizon, ep.steps - 1);
      const move = movementWords(ep.states!.subarray(t * D, t * D + 3), ep.states!.subarray(end * D, end * D + 3));
      const ids = o.codec.encode(actionChunkAt(ep.actions, ep.actionDim, ep.steps, t, o.horizon));
      const think = `To ${ep.instruction}, the gripper should ${move === "stay" ? "hold its position" : move}, ${gripperWords(ep.actions, ep.actionDim, ep.steps, t, o.horizon)}.`;
      return {
        source: "sim-fast-action-reasoning",
        images: [await image()],
        messages: [
          { role: "system", content: RL_SYSTEM_PROMPT },
          { role: "user", content: [{ type: "image" }, { type: "text", text: fastTokenPrompt(ep.instruction) }] },
          { role: "assistant", content: `<think>${think}</think><answer>${renderActionAnswer(ids)}</answer>` },
        ],
      };
    },
  };
}
