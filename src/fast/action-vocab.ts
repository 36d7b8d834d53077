// The action vocabulary of the MLLM (RoboAlign §3, §4.1, Fig. 7): `<action_start>`,
// `<action_end>` and one token `<action_k>` per FAST id k, appended to a Qwen-style Hugging Face
// `tokenizer.json` as added tokens, and pure maps between FAST ids, model ids and answer text.
//
// Flags of the added tokens: `special: false`, so `decode(..., skip_special_tokens=True)` keeps
// them (tokenizers and transformers strip only special added tokens, and action answers must
// survive decoding); `normalized: false`, so they match the raw text before Qwen's NFC
// normalizer; no strip or single-word rules. Added tokens are split out before the BPE whether
// special or not, so each `<action_k>` still encodes to exactly one id.

import { FastInputError } from "./chunk.js";
import type { DecodeResult, DecodeShape } from "./processor.js";

export const ACTION_START = "<action_start>";
export const ACTION_END = "<action_end>";

/** The token of FAST id k. */
export function actionTokenName(k: number): string {
  return `<action_${k}>`;
}

/** Where the action tokens sit in the model vocabulary: FAST id k ↔ model id `firstActionId + k`. */
export interface ActionVocab {
  startId: number;
  endId: number;
  firstActionId: number;
  /** Number of FAST ids (action tokens). */
  size: number;
}

interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

function addedToken(id: number, content: string): AddedTokenJson {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: false };
}

type TokenizerJson = { added_tokens?: unknown; model?: { vocab?: unknown } } & Record<string, unknown>;

function addedTokens(json: TokenizerJson): AddedTokenJson[] {
  const list = json.added_tokens ?? [];
  if (!Array.isArray(list)) throw new FastInputError("tokenizer.json: added_tokens is not an array");
  return list as AddedTokenJson[];
}

/** Highest id in a tokenizer.json (model vocab and added tokens). */
function maxId(json: TokenizerJson): number {
  let max = -1;
  const vocab = json.model?.vocab;
  if (vocab && typeof vocab === "object" && !Array.isArray(vocab)) {
    for (const id of Object.values(vocab as Record<string, unknown>)) if (typeof id === "number" && id > max) max = id;
  } else if (Array.isArray(vocab)) max = vocab.length - 1; // Unigram: [piece, score] list
  for (const t of addedTokens(json)) if (typeof t.id === "number" && t.id > max) max = t.id;
  return max;
}

/** The action vocabulary of a tokenizer.json that has one, or null. */
export function findActionVocab(json: TokenizerJson): ActionVocab | null {
  const byContent = new Map<string, number>();
  for (const t of addedTokens(json)) byContent.set(t.content, t.id);
  const startId = byContent.get(ACTION_START);
  const endId = byContent.get(ACTION_END);
  const first = byContent.get(actionTokenName(0));
  if (startId === undefined && endId === undefined && first === undefined) return null;
  if (startId === undefined || endId === undefined || first === undefined) {
    throw new FastInputError(`tokenizer.json has only part of the action vocabulary (${ACTION_START}, ${ACTION_END}, ${actionTokenName(0)}…)`);
  }
  let size = 0;
  for (;;) {
    const id = byContent.get(actionTokenName(size));
    if (id === undefined) break;
    if (id !== first + size) throw new FastInputError(`tokenizer.json: ${actionTokenName(size)} has id ${id}, expected ${first + size} (action tokens must be contiguous)`);
    size++;
  }
  return { startId, endId, firstActionId: first, size };
}

/**
 * A copy of a Hugging Face tokenizer.json with the action tokens added after its highest id:
 * `<action_start>`, `<action_end>`, then `<action_0>` … `<action_{size−1}>`. If they are
 * already there with the same size, the tokenizer is returned unchanged.
 */
export function addActionTokens<T extends object>(tokenizerJson: T, size: number): { tokenizer: T; vocab: ActionVocab; added: number } {
  if (!Number.isInteger(size) || size < 1) throw new FastInputError(`action vocabulary size ${size} must be a positive integer (the FAST vocab size)`);
  const json = tokenizerJson as TokenizerJson;
  const existing = findActionVocab(json);
  if (existing) {
    if (existing.size !== size) throw new FastInputError(`tokenizer.json already has ${existing.size} action tokens, not ${size}`);
    return { tokenizer: tokenizerJson, vocab: existing, added: 0 };
  }
  const base = maxId(json) + 1;
  const entries = [addedToken(base, ACTION_START), addedToken(base + 1, ACTION_END)];
  for (let k = 0; k < size; k++) entries.push(addedToken(base + 2 + k, actionTokenName(k)));
  const tokenizer = { ...json, added_tokens: [...addedTokens(json), ...entries] } as unknown as T;
  return { tokenizer, vocab: { startId: base, endId: base + 1, firstActionId: base + 2, size }, added: entries.length };
}

/** A copy of a tokenizer_config.json with the action tokens in `added_tokens_decoder` (transformers reads both files). */
export function addActionTokensToTokenizerConfig<T extends object>(config: T, vocab: ActionVocab): T & { added_tokens_decoder: Record<string, unknown> } {
  const decoder = { ...((config as Record<string, unknown>).added_tokens_decoder as Record<string, unknown> | undefined) };
  const put = (id: number, content: string) => {
    decoder[String(id)] = { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: false };
  };
  put(vocab.startId, ACTION_START);
  put(vocab.endId, ACTION_END);
  for (let k = 0; k < vocab.size; k++) put(vocab.firstActionId + k, actionTokenName(k));
  return { ...config, added_tokens_decoder: decoder };
}

/** Model id of each FAST id; throws on ids outside the FAST vocabulary. */
export function fastIdsToModelIds(fastIds: ArrayLike<number>, vocab: ActionVocab): number[] {
  const out: number[] = [];
  for (let i = 0; i < fastIds.length; i++) {
    const k = fastIds[i];
    if (!Number.isInteger(k) || k < 0 || k >= vocab.size) throw new FastInputError(`FAST id ${k} at position ${i} is outside the action vocabulary [0, ${vocab.size})`);
    out.push(vocab.firstActionId + k);
  }
  return out;
}

/** FAST id of a model id, or -1 if it is not an action token. */
export function modelIdToFastId(modelId: number, vocab: ActionVocab): number {
  const k = modelId - vocab.firstActionId;
  return Number.isInteger(k) && k >= 0 && k < vocab.size ? k : -1;
}

/** Model ids of a full action answer: start marker, action tokens, end marker. */
export function actionAnswerIds(fastIds: ArrayLike<number>, vocab: ActionVocab): number[] {
  return [vocab.startId, ...fastIdsToModelIds(fastIds, vocab), vocab.endId];
}

/** Answer text `<action_start><action_12>…<action_end>` (no separators). */
export function renderActionAnswer(fastIds: ArrayLike<number>): string {
  let s = ACTION_START;
  for (let i = 0; i < fastIds.length; i++) {
    const k = fastIds[i];
    if (!Number.isInteger(k) || k < 0) throw new FastInputError(`FAST id ${k} at position ${i} is not a non-negative integer`);
    s += actionTokenName(k);
  }
  return s + ACTION_END;
}

/**
 * What a parse found wrong: no start marker (parsed from the beginning), no end marker (a
 * truncated generation: everything after the start), or other tokens between the markers
 * (skipped).
 */
export type ActionParseIssue = "missing_start" | "missing_end" | "foreign_tokens";

export interface ActionParse {
  fastIds: number[];
  /** "ok", or the first of `issues`. */
  status: "ok" | ActionParseIssue;
  issues: ActionParseIssue[];
  /** Non-action tokens (or text runs) skipped between the markers. */
  foreign: number;
}

function finish(fastIds: number[], sawStart: boolean, sawEnd: boolean, foreign: number): ActionParse {
  const issues: ActionParseIssue[] = [];
  if (!sawStart) issues.push("missing_start");
  if (!sawEnd) issues.push("missing_end");
  if (foreign > 0) issues.push("foreign_tokens");
  return { fastIds, status: issues[0] ?? "ok", issues, foreign };
}

/** FAST ids in generated model ids: the action tokens after the first start marker, up to the end marker. Never throws. */
export function parseActionIds(modelIds: ArrayLike<number>, vocab: ActionVocab): ActionParse {
  let i = 0;
  while (i < modelIds.length && modelIds[i] !== vocab.startId) i++;
  const sawStart = i < modelIds.length;
  i = sawStart ? i + 1 : 0;
  const fastIds: number[] = [];
  let foreign = 0;
  let sawEnd = false;
  for (; i < modelIds.length; i++) {
    const id = modelIds[i];
    if (id === vocab.endId) {
      sawEnd = true;
      break;
    }
    const k = modelIdToFastId(id, vocab);
    if (k >= 0) fastIds.push(k);
    else foreign++;
  }
  return finish(fastIds, sawStart, sawEnd, foreign);
}

const ACTION_TEXT_RE = /<action_start>|<action_end>|<action_(\d+)>/g;

/** FAST ids in generated text, like `parseActionIds`; ids ≥ `size` (when given) count as foreign. Never throws. */
export function parseActionText(text: string, size = Infinity): ActionParse {
  const start = text.indexOf(ACTION_START);
  const sawStart = start >= 0;
  let pos = sawStart ? start + ACTION_START.length : 0;
  const fastIds: number[] = [];
  let foreign = 0;
  let sawEnd = false;
  ACTION_TEXT_RE.lastIndex = pos;
  for (let m = ACTION_TEXT_RE.exec(text); m !== null; m = ACTION_TEXT_RE.exec(text)) {
    if (text.slice(pos, m.index).trim().length > 0) foreign++;
    pos = m.index + m[0].length;
    if (m[0] === ACTION_END) {
      sawEnd = true;
      break;
    }
    const k = m[1] === undefined ? -1 : Number(m[1]);
    if (k >= 0 && k < size && Number.isSafeInteger(k)) fastIds.push(k);
    else foreign++;
  }
  if (!sawEnd && text.slice(pos).trim().length > 0) foreign++;
  return finish(fastIds, sawStart, sawEnd, foreign);
}

export interface ActionIdsDecode extends ActionParse {
  decode: DecodeResult;
}

/**
 * Parses generated model ids and decodes the FAST ids to actions with a FastProcessor or a
 * FastCodec (zeros and a status when they are not a valid chunk). Throws only when the chunk
 * shape is unknown.
 */
export function decodeActionAnswer(
  modelIds: ArrayLike<number>,
  vocab: ActionVocab,
  decoder: { decode(ids: ArrayLike<number>, shape?: DecodeShape): DecodeResult },
  shape: DecodeShape = {},
): ActionIdsDecode {
  const parse = parseActionIds(modelIds, vocab);
  return { ...parse, decode: decoder.decode(parse.fastIds, shape) };
}
