// The roboalign reward on token ids (reference/grpo.md §4.3, quirks Q6–Q8) with a real Qwen-layout
// byte-level BPE tokenizer, where `<think>` and the other tags are several ids each, and the
// reward registry.
import { beforeAll, describe, expect, it } from "vitest";
import { findActionVocab, type ActionVocab } from "../../../src/fast/action-vocab.js";
import {
  RlInputError,
  TokenByteTable,
  createReward,
  registerReward,
  rewardNames,
  scoreRoboAlign,
  type RewardContext,
  type RewardFunction,
  type RoboAlignScore,
  type RoboAlignTarget,
} from "../../../src/rl/index.js";
import { addActionTokensToFiles, tokenizerFromFiles, trainQwenBpeTokenizer, type TextTokenizer } from "../../../src/text/index.js";

const CORPUS = [
  "<think>The cup is left of the block, so move left and down.</think>\n<answer>pick up the cup</answer>",
  "<think>reason about the scene</think> <answer>move the arm</answer> hello robot think answer",
];

let tok: TextTokenizer;
let vocab: ActionVocab;
let ctx: RewardContext;
let reward: RewardFunction<RoboAlignTarget, RoboAlignScore>;
let IM_END: number;
let ENDOFTEXT: number;

/** Ids of `text` ("<a3>" is short for the action token `<action_3>`, "<as>"/"<ae>" for start/end). */
async function ids(text: string): Promise<number[]> {
  const full = text.replace(/<as>/g, "<action_start>").replace(/<ae>/g, "<action_end>").replace(/<a(\d+)>/g, "<action_$1>");
  return Array.from(await tok.encode(full));
}

async function score(text: string, target: RoboAlignTarget = [1, 2, 3], eos = true): Promise<RoboAlignScore> {
  const r = await ids(text);
  return reward.score({ responseIds: eos ? [...r, IM_END] : r, groundTruth: target });
}

const GOOD = "<think>the cup is left</think>\n<answer><as><a1><a2><a3><ae></answer>";

beforeAll(() => {
  const trained = trainQwenBpeTokenizer(CORPUS, { vocabSize: 330 });
  const { files } = addActionTokensToFiles(trained, 16);
  tok = tokenizerFromFiles(files);
  vocab = findActionVocab(files.tokenizerJson as never)!;
  IM_END = tok.requireId("<|im_end|>");
  ENDOFTEXT = tok.requireId("<|endoftext|>");
  ctx = { tokenBytes: TokenByteTable.fromTextTokenizer(tok), eosIds: [IM_END, ENDOFTEXT], actionVocab: vocab };
  reward = createReward<RoboAlignTarget, RoboAlignScore>("roboalign", ctx);
});

describe("TokenByteTable", () => {
  it("gives the exact bytes of every id: byte-level tokens through the GPT-2 alphabet, added tokens their content", async () => {
    const fromJson = TokenByteTable.fromTokenizerJson(JSON.parse(JSON.stringify(addActionTokensToFiles(trainQwenBpeTokenizer(CORPUS, { vocabSize: 330 }), 16).files.tokenizerJson)));
    expect(fromJson.size).toBe(ctx.tokenBytes.size);
    for (let id = 0; id < fromJson.size; id++) expect(fromJson.bytesOf(id)).toEqual(ctx.tokenBytes.bytesOf(id));
    const text = "<think>é robot\n\t🤖</think>";
    const enc = await tok.encode(text);
    const bytes = Buffer.concat(Array.from(enc, (id) => Buffer.from(ctx.tokenBytes.bytesOf(id)!)));
    expect(bytes.toString("utf8")).toBe(text);
    expect(new TextDecoder().decode(ctx.tokenBytes.bytesOf(IM_END))).toBe("<|im_end|>");
    expect(new TextDecoder().decode(ctx.tokenBytes.bytesOf(vocab.firstActionId + 7))).toBe("<action_7>");
    expect(ctx.tokenBytes.bytesOf(-1)).toBeUndefined();
    expect(ctx.tokenBytes.bytesOf(1e9)).toBeUndefined();
    expect(() => TokenByteTable.fromTokenizerJson({ model: { vocab: {} }, decoder: { type: "WordPiece" } })).toThrow(/decoder is not ByteLevel/);
  });

  it("the tags really are several ids in this tokenizer", async () => {
    for (const tag of ["<think>", "</think>", "<answer>", "</answer>"]) expect((await ids(tag)).length).toBeGreaterThan(1);
  });
});

describe("roboalign reward: format", () => {
  it("scores a well-formed response 1/1/1 (trailing EOS removed)", async () => {
    const r = await score(GOOD);
    expect(r).toMatchObject({ overall: 1, format: 1, accuracy: 1, status: "ok", eosStripped: true, generated: [1, 2, 3], lcp: 3, targetLength: 3 });
    expect((await score(GOOD, [1, 2, 3], false)).eosStripped).toBe(false);
    expect((await score(GOOD, [1, 2, 3], false)).overall).toBe(1);
  });

  it("allows only whitespace before, between and after the blocks (§4.3; r1v's Q7 would reject the leading space and trailing newline)", async () => {
    for (const ok of [" " + GOOD, "\n\t " + GOOD + "\n", GOOD.replace("\n", "  \n\n "), GOOD.replace("\n", ""), GOOD + "\u3000"]) {
      expect((await score(ok)).format, JSON.stringify(ok)).toBe(1);
    }
    const cases: [string, string][] = [
      ["x" + GOOD, "text_outside_tags"],
      [GOOD + " done", "text_outside_tags"],
      [GOOD.replace("\n", "\nso\n"), "text_outside_tags"],
      ["<a1>" + GOOD, "text_outside_tags"], // an action token is not whitespace
      [GOOD.replace("<think>the cup is left</think>", ""), "missing_tag"],
      [GOOD.replace("</answer>", ""), "missing_tag"],
      ["<think><think>a</think></think><answer><as><a1><a2><a3><ae></answer>", "duplicate_tag"],
      [GOOD + "<answer><as><a9><ae></answer>", "duplicate_tag"],
      ["<answer><as><a1><a2><a3><ae></answer><think>x</think>", "tag_order"],
      ["<think>a<answer>b</think></answer>", "tag_order"],
      ["", "empty"],
    ];
    for (const [text, status] of cases) {
      const r = await score(text);
      expect(r.format, text).toBe(0);
      expect(r.formatStatus, text).toBe(status);
    }
  });

  it("EOS: one trailing EOS is removed; only EOS, or EOS elsewhere, is not a well-formed response", async () => {
    expect(reward.score({ responseIds: [IM_END], groundTruth: [1] })).toMatchObject({ overall: 0, format: 0, accuracy: 0, formatStatus: "empty", answerStatus: "no_answer" });
    expect((await score(GOOD, [1, 2, 3], false)).format).toBe(1);
    expect(reward.score({ responseIds: [...(await ids(GOOD)), ENDOFTEXT], groundTruth: [1, 2, 3] }).format).toBe(1); // any listed EOS id
    expect(reward.score({ responseIds: [...(await ids(GOOD)), IM_END, IM_END], groundTruth: [1, 2, 3] }).format).toBe(0);
    expect(reward.score({ responseIds: [IM_END, ...(await ids(GOOD)), IM_END], groundTruth: [1, 2, 3] }).format).toBe(0);
  });

  it("a tag cannot be spelled across an action token", async () => {
    const r = await score("<think>x</think><ans<a1>wer><as><a1><ae></answer>");
    expect(r.formatStatus).toBe("missing_tag");
    expect(r.answerStatus).toBe("no_answer");
  });

  it("works with single-id tags too (tags as added tokens)", () => {
    const t = TokenByteTable.fromEntries([
      [0, "<think>"], [1, "</think>"], [2, "<answer>"], [3, "</answer>"], [4, " "], [5, "x"], [6, "<|im_end|>"],
      [10, "<action_start>"], [11, "<action_end>"], ...Array.from({ length: 8 }, (_, k) => [12 + k, `<action_${k}>`] as [number, string]),
    ]);
    const small: RewardContext = { tokenBytes: t, eosIds: [6], actionVocab: { startId: 10, endId: 11, firstActionId: 12, size: 8 } };
    const rw = createReward<RoboAlignTarget, RoboAlignScore>("roboalign", small);
    expect(rw.score({ responseIds: [0, 5, 1, 4, 2, 10, 13, 14, 11, 3, 6], groundTruth: [1, 2] })).toMatchObject({ overall: 1, format: 1, accuracy: 1 });
    expect(rw.score({ responseIds: [0, 5, 1, 5, 2, 10, 13, 14, 11, 3, 6], groundTruth: [1, 2] })).toMatchObject({ overall: 0.5, format: 0, accuracy: 1 });
  });
});

describe("roboalign reward: accuracy = LCP / len(target)", () => {
  it("measures the longest common prefix of the FAST ids", async () => {
    const acc = async (gen: string, target: number[]) => (await score(`<think>t</think><answer><as>${gen}<ae></answer>`, target)).accuracy;
    expect(await acc("<a1><a2><a3>", [1, 2, 3])).toBe(1);
    expect(await acc("<a1><a2><a9><a3>", [1, 2, 3, 4])).toBe(0.5);
    expect(await acc("<a1><a2><a3><a4><a5>", [1, 2, 3])).toBe(1); // extra tokens cost nothing (Q8)
    expect(await acc("<a1>", [1, 2, 3])).toBeCloseTo(1 / 3, 15);
    expect(await acc("<a7><a2><a3>", [1, 2, 3])).toBe(0);
    expect(await acc("", [1, 2, 3])).toBe(0);
    expect(await acc("<a1> <a2>\n<a3>", [1, 2, 3])).toBe(1); // text between action tokens is skipped, counted as foreign
    expect((await score("<think>t</think><answer><as><a1> <a2><ae></answer>")).foreign).toBe(1);
  });

  it("reads to the end of the answer when <action_end> is missing", async () => {
    const r = await score("<think>t</think><answer><as><a1><a2></answer>");
    expect(r).toMatchObject({ format: 1, accuracy: 2 / 3, answerStatus: "missing_action_end", generated: [1, 2] });
    expect(r.overall).toBeCloseTo((1 + 2 / 3) / 2, 15);
    // …and not past it: action tokens after </answer> do not count (and break the format).
    expect(await score("<think>t</think><answer><as><a1></answer><a2><a3>")).toMatchObject({ format: 0, accuracy: 1 / 3 });
  });

  it("gives 0 without an action span inside the answer, or with an empty target (format still counts, Q8)", async () => {
    expect(await score("<think>t</think><answer>pick up the cup</answer>")).toMatchObject({ overall: 0.5, format: 1, accuracy: 0, answerStatus: "no_action_start" });
    expect(await score("<think><as><a1><a2><a3><ae></think><answer>cup</answer>")).toMatchObject({ accuracy: 0, answerStatus: "no_action_start" });
    expect(await score("<as><a1><a2><a3><ae>")).toMatchObject({ overall: 0, accuracy: 0, answerStatus: "no_answer" });
    expect(await score(GOOD, [])).toMatchObject({ overall: 0.5, format: 1, accuracy: 0, answerStatus: "empty_target" });
  });

  it("scores the first answer block when there are several", async () => {
    expect(await score(GOOD + "<answer><as><a9><ae></answer>")).toMatchObject({ format: 0, accuracy: 1, generated: [1, 2, 3] });
    expect(await score("<answer><as><a1><ae></answer><think>x</think>")).toMatchObject({ format: 0, accuracy: 1 / 3 });
  });

  it("takes the target as FAST ids or as answer text", async () => {
    expect((await score(GOOD, "<action_start><action_1><action_2><action_3><action_end>")).accuracy).toBe(1);
    expect((await score(GOOD, "<action_start><action_1><action_5><action_end>")).accuracy).toBe(0.5);
    expect((await score(GOOD, Int32Array.from([1, 2, 3, 4]))).accuracy).toBe(0.75);
  });
});

describe("roboalign reward: degenerate generations score, never throw", () => {
  it("empty, garbage ids, non-integers, huge responses", async () => {
    expect(reward.score({ responseIds: [], groundTruth: [1] })).toMatchObject({ overall: 0, status: "empty/no_answer" });
    const garbage = reward.score({ responseIds: [-5, 1e12, NaN, 3.5, ...(await ids(GOOD))], groundTruth: [1, 2, 3] });
    expect(garbage).toMatchObject({ format: 0, accuracy: 1, unknownIds: 4, formatStatus: "text_outside_tags" });
    const r = (() => {
      let s = 12345;
      return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % (tok.vocabSize() + 50));
    })();
    const huge = Array.from({ length: 300_000 }, r);
    const t0 = performance.now();
    const h = reward.score({ responseIds: huge, groundTruth: [1, 2, 3] });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(h.overall).toBeGreaterThanOrEqual(0);
    expect(h.overall).toBeLessThanOrEqual(1);
    expect(h.format).toBe(0);
    const manyAnswers = await ids("<think>a</think>" + "<answer><as><a1><ae></answer>".repeat(2000));
    expect(reward.score({ responseIds: manyAnswers, groundTruth: [1] })).toMatchObject({ format: 0, formatStatus: "duplicate_tag", accuracy: 1 });
    expect(scoreRoboAlign(undefined as never, undefined as never, { ...ctx, actionVocab: vocab })).toMatchObject({ overall: 0, answerStatus: "empty_target" });
    // A malformed target is a dataset bug and says so.
    expect(() => reward.score({ responseIds: [], groundTruth: 7 as never })).toThrow(/ground truth 7 is neither FAST ids nor answer text/);
  });
});

describe("reward registry", () => {
  it("creates roboalign by name and checks its options and context", () => {
    expect(rewardNames()).toContain("roboalign");
    expect(createReward("roboalign", ctx).name).toBe("roboalign");
    expect(() => createReward("nope", ctx)).toThrow(/no reward named "nope"; registered: .*roboalign/);
    expect(() => createReward("roboalign", ctx, { fmt: 1 })).toThrow(/unknown option\(s\) fmt; known: formatWeight/);
    expect(() => createReward("roboalign", ctx, { formatWeight: 2 })).toThrow(/formatWeight 2 must be a number in \[0, 1\]/);
    expect(() => createReward("roboalign", { ...ctx, actionVocab: null })).toThrow(/needs the action vocabulary/);
    expect(() => createReward("roboalign", { ...ctx, eosIds: undefined as never })).toThrow(/needs ctx.eosIds/);
  });

  it("honours formatWeight", async () => {
    const w = createReward<RoboAlignTarget, RoboAlignScore>("roboalign", ctx, { formatWeight: 0.25 });
    const r = w.score({ responseIds: await ids("<think>t</think><answer><as><a1><ae></answer> x"), groundTruth: [1, 2] });
    expect(r.overall).toBeCloseTo(0.75 * 0.5 + 0.25 * 0, 15);
  });

  it("takes further rewards (e.g. an MCQ reward) as new entries", async () => {
    registerReward("test_mcq", (c, options) => ({
      name: "test_mcq",
      score: ({ responseIds, groundTruth }) => {
        const text = new TextDecoder().decode(Buffer.concat(Array.from(responseIds, (id) => Buffer.from(c.tokenBytes.bytesOf(id) ?? []))));
        const accuracy = text.trim().startsWith(String(groundTruth)) ? 1 : 0;
        return { overall: accuracy * Number(options.scale ?? 1), format: 1, accuracy, status: "ok" };
      },
    }));
    expect(() => registerReward("test_mcq", () => reward)).toThrow(/already registered/);
    expect(() => registerReward("roboalign", () => reward)).toThrow(RlInputError);
    const mcq = createReward("test_mcq", ctx, { scale: 2 });
    expect(mcq.score({ responseIds: await ids("B) the cup"), groundTruth: "B" }).overall).toBe(2);
    registerReward("test_mcq", () => reward, { replace: true });
    expect(createReward("test_mcq", ctx).name).toBe("roboalign");
  });
});
