// ref: openpi src/openpi/serving/websocket_policy_server.py (`_handler`: decode, infer, add
// server_timing) and src/openpi/policies/policy.py (`policy_timing`); reference/policy-server.md §2.5.
import { performance } from "node:perf_hooks";
import type { Policy } from "../vla/policy.js";
import { packb, unpackb } from "./msgpack-numpy.js";
import { NdArray } from "./ndarray.js";
import { type ObservationLayout, toPolicyObservation } from "./observation.js";
import type { SerialQueue } from "./serial-queue.js";

export class PolicyOutputError extends Error {
  override name = "PolicyOutputError";
}

export interface HandledRequest {
  reply: Buffer;
  layout: ObservationLayout;
  /** The whole request, decode to encode (server_timing.infer_ms). */
  serverMs: number;
}

export interface HandlerOptions {
  policy: Policy;
  /** Serialises `policy.infer` across connections (a model is one device-bound resource). */
  inference: SerialQueue;
  defaultPrompt?: string;
  /** Adds policy_timing/server_timing; off for ALOHA clients older than June 2025 (§6). */
  timing: boolean;
}

/** One request frame → one reply frame. Throws on anything malformed; the caller reports it. */
export async function handleRequest(frame: Uint8Array, prevTotalMs: number | undefined, o: HandlerOptions): Promise<HandledRequest> {
  const t0 = performance.now();
  const { layout, obs } = toPolicyObservation(unpackb(frame), o.defaultPrompt);
  const { actions, inferMs } = await o.inference.run(async () => {
    const t = performance.now();
    const a = await o.policy.infer(obs);
    return { actions: a, inferMs: performance.now() - t };
  });
  const { horizon, actionDim } = o.policy;
  if (!(actions instanceof Float64Array) || actions.length !== horizon * actionDim) {
    throw new PolicyOutputError(
      `the policy returned ${actions instanceof Float64Array ? `${actions.length} values` : typeof actions} where horizon × actionDim = ${horizon} × ${actionDim} = ${horizon * actionDim} were declared; fix the policy's infer() or its horizon/actionDim`,
    );
  }
  // Upstream replies in float64 (model output promoted by float64 normalisation stats).
  const out: Record<string, unknown> = { actions: NdArray.float64(actions, [horizon, actionDim]) };
  const serverMs = performance.now() - t0;
  if (o.timing) {
    // Plain numbers, never arrays: the ALOHA chunk broker indexes every ndarray in the reply.
    out.policy_timing = { infer_ms: inferMs };
    out.server_timing = prevTotalMs === undefined ? { infer_ms: serverMs } : { infer_ms: serverMs, prev_total_ms: prevTotalMs };
  }
  return { reply: packb(out), layout, serverMs };
}
