// The FAST action QA and robot QA of ./episode-sources.ts as indexable step questions: the
// generators there walk a whole episode, so each sample is built on a view of the episode that
// starts at the wanted step (same actions, states and frames from t on; chunks pad with the
// episode's last action exactly as before).
import type { FastCodec } from "../../fast/codec.js";
import { cameraStream, type Episode } from "../episode.js";
import { fastActionQa, robotQa } from "./episode-sources.js";
import type { StepQuestions } from "./step-questions.js";

/** `ep` from step t on, as an episode of its own (no copies: subarrays and shifted frame lookups). */
export function episodeFrom(ep: Episode, t: number): Episode {
  const steps = ep.steps - t;
  const images = Object.fromEntries(
    Object.entries(ep.images).map(([k, c]) => [k, cameraStream(steps, c.height, c.width, (i) => c.frame(t + i))]),
  );
  return {
    ...ep,
    steps,
    actions: ep.actions.subarray(t * ep.actionDim),
    states: ep.states && ep.stateDim ? ep.states.subarray(t * ep.stateDim) : ep.states,
    images,
    scene: undefined,
  };
}

export interface FastActionStepOptions {
  codec: FastCodec;
  horizon: number;
  camera?: string;
  stride?: number;
}

export function fastActionSteps(o: FastActionStepOptions): StepQuestions {
  const camera = o.camera ?? "image";
  return {
    name: "sim-fast-action",
    kind: "fast-action",
    stride: o.stride ?? 1,
    camera,
    keys: (ep) => (ep.images[camera] && ep.actionDim > 0 ? [{ q: 0, a: -1, b: -1 }] : []),
    async build(ep, t) {
      const view = episodeFrom(ep, t);
      const [s] = await fastActionQa(view, { codec: o.codec, horizon: o.horizon, camera, stride: view.steps });
      return { ...s, source: "sim-fast-action" };
    },
  };
}

export interface RobotQaStepOptions {
  camera?: string;
  stride?: number;
  lookahead?: number;
}

/** Three questions per step (movement, current state, next states), as robotQa asks them. */
export function robotQaSteps(o: RobotQaStepOptions = {}): StepQuestions {
  const camera = o.camera ?? "image";
  return {
    name: "sim-robot-qa",
    kind: "robot-qa",
    stride: o.stride ?? 5,
    camera,
    keys: (ep) => (ep.images[camera] && ep.states && (ep.stateDim ?? 0) >= 3 ? [0, 1, 2].map((q) => ({ q, a: -1, b: -1 })) : []),
    async build(ep, t, key) {
      const view = episodeFrom(ep, t);
      const samples = await robotQa(view, { camera, stride: view.steps, lookahead: o.lookahead });
      return { ...samples[key.q], source: "sim-robot-qa" };
    },
  };
}
