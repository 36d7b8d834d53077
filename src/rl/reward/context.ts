// ref: EasyR1 b44b311 verl/workers/reward/function.py (reward interface, reference/grpo.md §4.1),
// adapted to scoring on ids (§4.3, quirk Q6)
//
// What every reward function gets: the tokenizer's per-id bytes (text rewards such as a
// high-level-action MCQ can decode from them; tag rewards search them), the EOS ids, and the
// action vocabulary for rewards on FAST tokens. Ground truth is reward-specific (FAST ids for
// `roboalign`, a choice for an MCQ reward, points for a 2-D trajectory reward).

import type { ActionVocab } from "../../fast/action-vocab.js";
import type { TokenByteTable } from "./token-bytes.js";

export interface RewardContext {
  /** Bytes of every id (TokenByteTable.fromTokenizerJson / fromTextTokenizer). */
  tokenBytes: TokenByteTable;
  /** generation_config.eos_token_id (one or several): a trailing EOS is removed before scoring. */
  eosIds: readonly number[];
  /** The action vocabulary of the tokenizer (src/fast/action-vocab.ts), for rewards on FAST tokens. */
  actionVocab?: ActionVocab | null;
}

export interface RewardInput<G = unknown> {
  /** The response ids up to and including the first EOS (the masked response, formula (2)). */
  responseIds: ArrayLike<number>;
  /** The dataset's answer for this prompt, in the form the reward expects. */
  groundTruth: G;
}

/** What a reward returns: `overall` trains (formula (3)); the rest is logged. */
export interface RewardScore {
  overall: number;
  format: number;
  accuracy: number;
  /** Short parse status for logs and counters, e.g. "ok", "missing_tag/no_answer". */
  status: string;
}

export interface RewardFunction<G = unknown, S extends RewardScore = RewardScore> {
  readonly name: string;
  /** Scores one response; never throws on what a model generated. */
  score(input: RewardInput<G>): S;
}

/** Builds a reward from the context and its options; may throw on bad options or a context it cannot use. */
export type RewardFactory = (ctx: RewardContext, options: Record<string, unknown>) => RewardFunction<any, RewardScore>;

/** The response without one trailing EOS id, and whether one was there. */
export function stripTrailingEos(ids: ArrayLike<number>, eosIds: readonly number[]): { ids: ArrayLike<number>; stripped: boolean } {
  const n = ids.length;
  if (n > 0 && eosIds.includes(ids[n - 1])) {
    return { ids: Array.prototype.slice.call(ids, 0, n - 1) as number[], stripped: true };
  }
  return { ids, stripped: false };
}
