// ref: openpi examples/simple_client (a client needs only a well-formed reply to be exercised):
// a policy that answers every observation with the same chunk, for client smoke tests.
import { setTimeout as sleep } from "node:timers/promises";
import type { Policy, PolicyObservation } from "../vla/policy.js";
import type { PolicyConfig } from "./load-policy.js";

export class ConstantPolicy implements Policy {
  readonly horizon: number;
  readonly actionDim: number;
  private readonly chunk: Float64Array;

  /** `rows` is the chunk, `horizon × actionDim`; `delayMs` imitates inference time. */
  constructor(
    rows: readonly (readonly number[])[],
    private readonly delayMs = 0,
  ) {
    this.horizon = rows.length;
    this.actionDim = rows[0]?.length ?? 0;
    this.chunk = Float64Array.from(rows.flat());
  }

  async infer(_obs: PolicyObservation): Promise<Float64Array> {
    if (this.delayMs > 0) await sleep(this.delayMs);
    return this.chunk.slice();
  }
}

/**
 * policy.json: {"kind": "constant", "actions": [[...], ...], "delay_ms"?: number}. `actions` is
 * the H × D chunk; H must cover the client's horizon (LIBERO ≥ 5, DROID exactly 10, ALOHA ≥ 10/25).
 */
export async function loadConstantPolicy(dir: string, config: PolicyConfig): Promise<Policy> {
  const rows = config.actions;
  const where = `${dir}/policy.json`;
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Array.isArray(r))) {
    throw new Error(`${where}: kind "constant" needs "actions", a non-empty list of rows, e.g. [[0, 0, 0, 0, 0, 0, -1]]`);
  }
  const width = (rows[0] as unknown[]).length;
  if (width === 0 || !rows.every((r: unknown[]) => r.length === width && r.every((x) => typeof x === "number" && Number.isFinite(x)))) {
    throw new Error(`${where}: every row of "actions" must hold the same number (≥ 1) of finite numbers`);
  }
  const delay = config.delay_ms ?? 0;
  if (typeof delay !== "number" || !(delay >= 0)) throw new Error(`${where}: "delay_ms" must be a number ≥ 0`);
  return new ConstantPolicy(rows as number[][], delay);
}
