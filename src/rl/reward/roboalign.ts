// ref: reference/grpo.md §4.3 (RoboAlign accuracy reward, this project's id-level conventions),
// §4.2 (r1v shape overall = (1 − w)·accuracy + w·format, w = 0.5), quirks Q6, Q8
//
// format: exactly one `<think>…</think>` then one `<answer>…</answer>`, only whitespace around
// (think-answer.ts). accuracy: LCP(gen, target) / len(target), gen = the FAST ids after the first
// `<action_start>` inside the answer, up to the next `<action_end>` (or the end of the answer when
// it is missing); action tokens are read by id, so they can never vanish in decoding (Q6).
// overall = (format + accuracy) / 2. A correct prefix followed by extra tokens still scores 1 (Q8).

import { parseActionIds, parseActionText, modelIdToFastId, type ActionVocab } from "../../fast/action-vocab.js";
import { RlInputError } from "../errors.js";
import { stripTrailingEos, type RewardContext, type RewardFunction, type RewardInput, type RewardScore } from "./context.js";
import { concatIdBytes } from "./id-bytes.js";
import { parseThinkAnswer, type FormatStatus } from "./think-answer.js";

/** Target FAST ids, or the target answer text `<action_start><action_12>…<action_end>`. */
export type RoboAlignTarget = ArrayLike<number> | string;

export type AnswerStatus = "ok" | "no_answer" | "no_action_start" | "missing_action_end" | "empty_target";

export interface RoboAlignScore extends RewardScore {
  formatStatus: FormatStatus;
  answerStatus: AnswerStatus;
  /** FAST ids read from the answer's action span. */
  generated: number[];
  lcp: number;
  targetLength: number;
  /** Non-action ids skipped inside the action span. */
  foreign: number;
  /** Ids the tokenizer does not have. */
  unknownIds: number;
  eosStripped: boolean;
}

export interface RoboAlignRewardOptions {
  /** w in overall = (1 − w)·accuracy + w·format; 0.5 (RoboAlign's (format + accuracy)/2). */
  formatWeight?: number;
}

/** The target's FAST ids; a target of the wrong type is a dataset bug, so it throws (unlike anything generated). */
function targetIds(target: RoboAlignTarget | null | undefined, vocab: ActionVocab): ArrayLike<number> {
  if (target === undefined || target === null) return [];
  if (typeof target === "string") return parseActionText(target, vocab.size).fastIds;
  if (typeof target === "object" && typeof target.length === "number") return target;
  throw new RlInputError(`roboalign reward: ground truth ${JSON.stringify(target)} is neither FAST ids nor answer text "<action_start><action_k>…<action_end>"; check the dataset's answer field`);
}

function lcp(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let k = 0;
  while (k < n && a[k] === b[k]) k++;
  return k;
}

/** Scores one response (ids, trailing EOS allowed). Never throws on the response; throws on a malformed target. */
export function scoreRoboAlign(responseIds: ArrayLike<number>, target: RoboAlignTarget, ctx: RewardContext & { actionVocab: ActionVocab }, formatWeight = 0.5): RoboAlignScore {
  const vocab = ctx.actionVocab;
  const { ids, stripped } = stripTrailingEos(responseIds ?? [], ctx.eosIds);
  const isAction = (id: number) => id === vocab.startId || id === vocab.endId || modelIdToFastId(id, vocab) >= 0;
  const idBytes = concatIdBytes(ids, ctx.tokenBytes, isAction);
  const parse = parseThinkAnswer(idBytes);

  const goal = targetIds(target, vocab);
  let generated: number[] = [];
  let foreign = 0;
  let answerStatus: AnswerStatus;
  if (parse.answer === null) answerStatus = "no_answer";
  else {
    const slice = Array.prototype.slice.call(ids, parse.answer.start, parse.answer.end) as number[];
    const actions = parseActionIds(slice, vocab);
    if (actions.issues.includes("missing_start")) answerStatus = "no_action_start";
    else {
      generated = actions.fastIds;
      foreign = actions.foreign;
      answerStatus = actions.issues.includes("missing_end") ? "missing_action_end" : "ok";
    }
  }
  if (goal.length === 0) answerStatus = "empty_target";
  const prefix = goal.length === 0 || answerStatus === "no_answer" || answerStatus === "no_action_start" ? 0 : lcp(generated, goal);
  const accuracy = goal.length === 0 ? 0 : prefix / goal.length;
  const format = parse.format;
  return {
    overall: (1 - formatWeight) * accuracy + formatWeight * format,
    format,
    accuracy,
    status: parse.formatStatus === "ok" && answerStatus === "ok" ? "ok" : `${parse.formatStatus}/${answerStatus}`,
    formatStatus: parse.formatStatus,
    answerStatus,
    generated,
    lcp: prefix,
    targetLength: goal.length,
    foreign,
    unknownIds: idBytes.unknownIds,
    eosStripped: stripped,
  };
}

const OPTION_KEYS = ["formatWeight"];

/** The `roboalign` registry entry. */
export function createRoboAlignReward(ctx: RewardContext, options: Record<string, unknown> = {}): RewardFunction<RoboAlignTarget, RoboAlignScore> {
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.includes(k));
  if (unknown.length > 0) throw new RlInputError(`roboalign reward: unknown option(s) ${unknown.join(", ")}; known: ${OPTION_KEYS.join(", ")}`);
  const w = (options as RoboAlignRewardOptions).formatWeight ?? 0.5;
  if (typeof w !== "number" || !(w >= 0 && w <= 1)) throw new RlInputError(`roboalign reward: formatWeight ${String(w)} must be a number in [0, 1]`);
  const vocab = ctx.actionVocab;
  if (!vocab) throw new RlInputError("roboalign reward needs the action vocabulary: pass ctx.actionVocab (findActionVocab on a tokenizer.json with <action_start>, <action_end>, <action_k>)");
  if (!Array.isArray(ctx.eosIds)) throw new RlInputError("roboalign reward needs ctx.eosIds, the list of EOS ids (generation_config.eos_token_id)");
  if (!ctx.tokenBytes) throw new RlInputError("roboalign reward needs ctx.tokenBytes (TokenByteTable.fromTokenizerJson or fromTextTokenizer)");
  const full = { ...ctx, actionVocab: vocab };
  return {
    name: "roboalign",
    score: (input: RewardInput<RoboAlignTarget>) => scoreRoboAlign(input.responseIds, input.groundTruth, full, w),
  };
}
