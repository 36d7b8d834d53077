// The MLLM action vocabulary: added tokens in a tokenizer.json, id maps, answer text and the
// garbage-tolerant parsers.
import { describe, expect, it } from "vitest";

import {
  type ActionVocab,
  actionAnswerIds,
  addActionTokens,
  addActionTokensToTokenizerConfig,
  ByteLevelBpeTokenizer,
  decodeActionAnswer,
  FastProcessor,
  fastIdsToModelIds,
  findActionVocab,
  modelIdToFastId,
  parseActionIds,
  parseActionText,
  parseTokenizerJson,
  renderActionAnswer,
} from "../../../src/fast/index.js";

const qwenLike = () => ({
  version: "1.0",
  added_tokens: [
    { id: 5, content: "<|endoftext|>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: 6, content: "<|im_start|>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
  ],
  model: { type: "BPE", vocab: { a: 0, b: 1, c: 2, d: 3, e: 4 }, merges: [] },
});

describe("addActionTokens", () => {
  it("appends <action_start>, <action_end> and <action_k> after the highest id, not special, not normalized", () => {
    const src = qwenLike();
    const { tokenizer, vocab, added } = addActionTokens(src, 4);
    expect(vocab).toEqual({ startId: 7, endId: 8, firstActionId: 9, size: 4 });
    expect(added).toBe(6);
    expect(tokenizer.added_tokens.slice(2).map((t) => [t.id, t.content, t.special, t.normalized])).toEqual([
      [7, "<action_start>", false, false],
      [8, "<action_end>", false, false],
      [9, "<action_0>", false, false],
      [10, "<action_1>", false, false],
      [11, "<action_2>", false, false],
      [12, "<action_3>", false, false],
    ]);
    expect(src.added_tokens.length).toBe(2); // the input is not modified
    expect(findActionVocab(tokenizer)).toEqual(vocab);
    expect(addActionTokens(tokenizer, 4).added).toBe(0);
    expect(() => addActionTokens(tokenizer, 5)).toThrow(/already has 4 action tokens/);
  });

  it("adds the same tokens to tokenizer_config.json's added_tokens_decoder", () => {
    const { vocab } = addActionTokens(qwenLike(), 2);
    const cfg = addActionTokensToTokenizerConfig({ added_tokens_decoder: { "5": { content: "<|endoftext|>", special: true } } }, vocab);
    expect(Object.keys(cfg.added_tokens_decoder)).toEqual(["5", "7", "8", "9", "10"]);
    expect(cfg.added_tokens_decoder["10"]).toEqual({ content: "<action_1>", lstrip: false, normalized: false, rstrip: false, single_word: false, special: false });
  });
});

describe("id maps and answers", () => {
  const vocab: ActionVocab = { startId: 100, endId: 101, firstActionId: 102, size: 2048 };

  it("maps FAST ids to model ids and back", () => {
    expect(fastIdsToModelIds([0, 12, 2047], vocab)).toEqual([102, 114, 2149]);
    expect([102, 114, 2149, 101, 2150, 5].map((id) => modelIdToFastId(id, vocab))).toEqual([0, 12, 2047, -1, -1, -1]);
    expect(() => fastIdsToModelIds([2048], vocab)).toThrow(/outside the action vocabulary/);
    expect(actionAnswerIds([3, 4], vocab)).toEqual([100, 105, 106, 101]);
  });

  it("renders the answer as in the paper's Figure 7", () => {
    expect(renderActionAnswer([12, 5])).toBe("<action_start><action_12><action_5><action_end>");
    expect(renderActionAnswer([])).toBe("<action_start><action_end>");
  });

  it("parses generated ids, tolerating garbage", () => {
    expect(parseActionIds([7, 100, 102, 114, 101, 9], vocab)).toEqual({ fastIds: [0, 12], status: "ok", issues: [], foreign: 0 });
    expect(parseActionIds([100, 102, 55, 103, 101], vocab)).toEqual({ fastIds: [0, 1], status: "foreign_tokens", issues: ["foreign_tokens"], foreign: 1 });
    expect(parseActionIds([100, 102, 103], vocab)).toMatchObject({ fastIds: [0, 1], status: "missing_end" });
    expect(parseActionIds([102, 103, 101], vocab)).toMatchObject({ fastIds: [0, 1], status: "missing_start" });
    expect(parseActionIds([], vocab)).toEqual({ fastIds: [], status: "missing_start", issues: ["missing_start", "missing_end"], foreign: 0 });
    expect(parseActionIds([100, -3, 1.5, Number.NaN, 101], vocab)).toMatchObject({ fastIds: [], foreign: 3 });
  });

  it("parses generated text, tolerating garbage", () => {
    expect(parseActionText("<think>x</think><answer><action_start><action_12><action_7><action_end></answer>")).toMatchObject({ fastIds: [12, 7], status: "ok" });
    expect(parseActionText("<action_start> <action_1> junk <action_2>", 2048)).toMatchObject({ fastIds: [1, 2], issues: ["missing_end", "foreign_tokens"], foreign: 1 });
    expect(parseActionText("<action_start><action_99999><action_x><action_end>", 2048)).toMatchObject({ fastIds: [], foreign: 2, status: "foreign_tokens" });
    expect(parseActionText("no actions here")).toMatchObject({ fastIds: [], issues: ["missing_start", "missing_end", "foreign_tokens"] });
  });

  it("decodes a generated answer to actions, zeros with a status when the ids are no chunk", () => {
    const model = parseTokenizerJson(JSON.stringify({ pre_tokenizer: { type: "ByteLevel" }, decoder: { type: "ByteLevel" }, model: { vocab: { a: 0, b: 1 }, merges: [] } }));
    const proc = new FastProcessor(new ByteLevelBpeTokenizer(model), { scale: 10, minToken: -97, vocabSize: 2, timeHorizon: 2, actionDim: 1 });
    const small: ActionVocab = { startId: 10, endId: 11, firstActionId: 12, size: 2 };
    const ok = decodeActionAnswer([10, 12, 13, 11], small, proc);
    expect(ok.status).toBe("ok");
    expect(ok.decode.status).toBe("ok");
    // "ab" → coefficients 0 and 1 → orthonormal IDCT of [0, 0.1] at H = 2: ±0.1·cos(π/4)
    const [x0, x1] = ok.decode.actions.data;
    expect(x0).toBeCloseTo(0.1 * Math.SQRT1_2, 15);
    expect(x1).toBeCloseTo(-0.1 * Math.SQRT1_2, 15);
    const bad = decodeActionAnswer([10, 12, 99], small, proc);
    expect(bad.status).toBe("missing_end");
    expect(bad.decode.status).toBe("length_mismatch");
    expect(Array.from(bad.decode.actions.data)).toEqual([0, 0]);
  });
});
