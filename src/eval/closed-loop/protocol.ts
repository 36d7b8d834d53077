// LIBERO evaluation protocol as options (shared/reference/simulation.md §4.1 OpenVLA-OFT run_libero_eval, §4.2 CALVIN, §7).
import { INIT_STATES } from "../../sim/tasks.js";

/** LIBERO's no-op: no motion, gripper open. Sent while objects settle, before the policy acts. */
export const NOOP_ACTION: readonly number[] = Object.freeze([0, 0, 0, 0, 0, 0, -1]);

/** OpenVLA-OFT and GR00T both wait `num_steps_wait = 10` steps. */
export const LIBERO_WAIT_STEPS = 10;

/** LIBERO evaluates each task on its 50 fixed initial states. */
export const DEFAULT_TRIALS = INIT_STATES;

/** The embedded world's action: Δxyz, Δrpy, gripper. */
export const ENV_ACTION_DIM = 7;

export interface ProtocolOptions {
  /** No-op steps after reset, not counted against the step limit and not checked for success. Default 10. */
  waitSteps?: number;
  /**
   * Actions executed open-loop from each chunk before the policy is queried again; capped at the
   * policy's horizon. Default: the whole chunk (OpenVLA-OFT executes all 8 of its 8-action chunks;
   * openpi's LIBERO client replans every 5 of 10).
   */
  replanSteps?: number;
  /** Policy steps per episode; default the suite's limit (tasks.ts MAX_STEPS: 220/280/300/520). */
  maxSteps?: number;
  /** Policy steps per chain subtask; default the chain's own (240 = CALVIN's 360 at 30 Hz, at 20 Hz). */
  chainStepsPerSubtask?: number;
}

export interface Protocol {
  waitSteps: number;
  replanSteps?: number;
  maxSteps?: number;
  chainStepsPerSubtask?: number;
}

function checkCount(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new Error(`${name} must be an integer ≥ ${min}, got ${v}`);
}

/** Fills defaults and rejects values the runner cannot honour. */
export function resolveProtocol(o: ProtocolOptions = {}): Protocol {
  checkCount("waitSteps", o.waitSteps, 0);
  checkCount("replanSteps", o.replanSteps, 1);
  checkCount("maxSteps", o.maxSteps, 1);
  checkCount("chainStepsPerSubtask", o.chainStepsPerSubtask, 1);
  return { waitSteps: o.waitSteps ?? LIBERO_WAIT_STEPS, replanSteps: o.replanSteps, maxSteps: o.maxSteps, chainStepsPerSubtask: o.chainStepsPerSubtask };
}

/** Actions to execute from a chunk of `horizon`: the requested count, never more than the chunk holds. */
export function openLoopSteps(horizon: number, replanSteps: number | undefined): number {
  return Math.max(1, Math.min(horizon, replanSteps ?? horizon));
}
