// ref: reference/grpo.md §4.3 (project format rule) and §4.2 / quirk Q7 (EasyR1 r1v.py, which it
// tightens: one block of each, and whitespace is also allowed after `</answer>`)
//
// format = 1 iff the response is exactly: whitespace, `<think>`, anything without these tags,
// `</think>`, whitespace, `<answer>`, anything without these tags, `</answer>`, whitespace.
// Tags are searched in the response's bytes, so they may span several BPE ids.

import { idsWithin, type IdBytes } from "./id-bytes.js";

export const THINK_OPEN = "<think>";
export const THINK_CLOSE = "</think>";
export const ANSWER_OPEN = "<answer>";
export const ANSWER_CLOSE = "</answer>";

export type FormatStatus = "ok" | "empty" | "missing_tag" | "duplicate_tag" | "tag_order" | "text_outside_tags";

export interface ThinkAnswerParse {
  format: 0 | 1;
  formatStatus: FormatStatus;
  /** Id range [start, end) of the first answer's content (ids entirely between `<answer>` and the next `</answer>`), or null. */
  answer: { start: number; end: number } | null;
}

const utf8 = new TextEncoder();
const TAGS = [THINK_OPEN, THINK_CLOSE, ANSWER_OPEN, ANSWER_CLOSE].map((t) => Buffer.from(utf8.encode(t)));

// Python's str.isspace() set, which EasyR1's `\s` matches (JavaScript's `\s` differs on \x1c–\x1f, \x85, \ufeff).
const WHITESPACE = /^[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;
const decoder = new TextDecoder("utf-8", { fatal: false });

function isWhitespace(bytes: Uint8Array, from: number, to: number): boolean {
  if (to <= from) return true;
  return WHITESPACE.test(decoder.decode(bytes.subarray(from, to)));
}

function findAll(hay: Buffer, needle: Buffer): number[] {
  const out: number[] = [];
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) out.push(at);
  return out;
}

export function parseThinkAnswer(idBytes: IdBytes): ThinkAnswerParse {
  const { bytes, starts } = idBytes;
  const hay = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [tOpen, tClose, aOpen, aClose] = TAGS.map((t) => findAll(hay, t));

  let answer: ThinkAnswerParse["answer"] = null;
  if (aOpen.length > 0) {
    const contentStart = aOpen[0] + TAGS[2].length;
    const close = aClose.find((p) => p >= contentStart);
    if (close !== undefined) answer = idsWithin(starts, contentStart, close);
  }
  const fail = (formatStatus: FormatStatus): ThinkAnswerParse => ({ format: 0, formatStatus, answer });

  if (bytes.length === 0) return fail("empty");
  const all = [tOpen, tClose, aOpen, aClose];
  if (all.some((p) => p.length === 0)) return fail("missing_tag");
  if (all.some((p) => p.length > 1)) return fail("duplicate_tag");
  const [to, tc, ao, ac] = all.map((p) => p[0]);
  if (!(to < tc && tc < ao && ao < ac)) return fail("tag_order");
  const ok =
    isWhitespace(bytes, 0, to) && isWhitespace(bytes, tc + TAGS[1].length, ao) && isWhitespace(bytes, ac + TAGS[3].length, bytes.length);
  return ok ? { format: 1, formatStatus: "ok", answer } : fail("text_outside_tags");
}
