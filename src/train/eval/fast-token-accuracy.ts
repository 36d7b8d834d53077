// Held-out FAST-token accuracy, teacher-forced: on FAST action QA samples, the share of action
// tokens (the FAST ids and `<action_end>`) whose argmax prediction given the true prefix is the
// true token. Cheap enough to log during SFT; the generation-based prefix accuracy of the RL
// stage is in heldout-rewards.ts.
import type { SampleTensors } from "../../data/mixture/tensorize.js";
import { collate } from "../../data/mixture/tensorize.js";
import type { Workspace } from "../model-workspace.js";

export interface FastTokenAccuracy {
  accuracy: number;
  tokens: number;
  /** Share of samples whose whole action answer is predicted exactly. */
  exact: number;
}

function isActionTarget(id: number, ws: Workspace): boolean {
  return id === ws.vocab.endId || (id >= ws.vocab.firstActionId && id < ws.vocab.firstActionId + ws.vocab.size);
}

export async function fastTokenAccuracy(ws: Workspace, samples: SampleTensors[], rowsPerBatch = 8): Promise<FastTokenAccuracy> {
  let right = 0;
  let total = 0;
  let exact = 0;
  for (let s = 0; s < samples.length; s += rowsPerBatch) {
    const chunk = samples.slice(s, s + rowsPerBatch);
    const batch = collate(chunk, ws.padId);
    const out = await ws.core.forward(ws.handle, batch, { logits: "all" });
    const V = out.logitsShape[2];
    const T = batch.seqLen;
    const logits = out.logits!;
    chunk.forEach((sample, b) => {
      let sampleRight = 0;
      let sampleTotal = 0;
      for (let t = 1; t < sample.labels.length; t++) {
        const y = sample.labels[t];
        if (y < 0 || !isActionTarget(y, ws)) continue;
        const row = (b * T + t - 1) * V;
        let best = 0;
        for (let v = 1; v < V; v++) if (logits[row + v] > logits[row + best]) best = v;
        sampleTotal++;
        if (best === y) sampleRight++;
      }
      right += sampleRight;
      total += sampleTotal;
      if (sampleTotal > 0 && sampleRight === sampleTotal) exact++;
    });
  }
  return { accuracy: total ? right / total : 0, tokens: total, exact: samples.length ? exact / samples.length : 0 };
}
