// Evaluation suite names: the four LIBERO-like suites of src/sim/tasks.ts and the CALVIN-style chains
// (shared/reference/simulation.md §4.2, §7).
import type { SuiteName } from "../../sim/tasks.js";

export type ChainSuite = "chain";
export type EvalSuite = SuiteName | ChainSuite;

export const LIBERO_SUITES: readonly SuiteName[] = ["spatial", "object", "goal", "long"];
export const EVAL_SUITES: readonly EvalSuite[] = [...LIBERO_SUITES, "chain"];

export function isChainSuite(s: EvalSuite): s is ChainSuite {
  return s === "chain";
}

/** "spatial,goal" → ["spatial", "goal"]; `libero` = the four LIBERO-like suites, `all` adds the chains. */
export function parseSuites(text: string): EvalSuite[] {
  const out: EvalSuite[] = [];
  for (const raw of text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const names = raw === "libero" ? LIBERO_SUITES : raw === "all" ? EVAL_SUITES : [raw as EvalSuite];
    for (const n of names) {
      if (!EVAL_SUITES.includes(n)) throw new Error(`unknown suite "${raw}"; use ${EVAL_SUITES.join(", ")}, libero (the first four) or all, comma-separated`);
      if (!out.includes(n)) out.push(n);
    }
  }
  if (!out.length) throw new Error(`no suite named in "${text}"; use e.g. spatial,goal or libero`);
  return out;
}
