// A Qwen-layout BPE tokenizer trained here must load in the npm tokenizers bindings and in
// Python transformers (AutoTokenizer → Qwen2Tokenizer) and both must give the same ids, for plain
// strings and for chat-template renders (transformers' apply_chat_template is the reference).
// Special tokens follow Qwen's order (reference/qwen2_5_vl.md §2, §10.1).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  QWEN_SPECIAL_TOKENS,
  TextInputError,
  TextTokenizer,
  addActionTokensToFiles,
  renderChatTemplate,
  trainQwenBpeTokenizer,
  writeTokenizerFiles,
  type ChatMessage,
} from "../../../src/text/index.js";
import { SHARED_MISSING, TRANSFORMERS_MISSING, hasShared, hasTransformers, sharedDir } from "../../helpers/paths.js";
import { trainingCorpus } from "./corpus.js";
import { hfReference, type HfResult } from "./hf-reference.js";

const STRINGS = [
  "Hello world",
  "The robot should pick up the red block and place it on the table.",
  "café naïve e\u0301 über — 机器人抓取 🤖👍",
  "It's THEY'RE we'll I'M 12345 3.14159 x=[0.12,-3.5]",
  "  leading spaces\n\n\ttabs\r\nand   gaps   ",
  "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
  "<|vision_start|><|image_pad|><|vision_end|>Describe.",
  "<think>Move left.</think><answer>done</answer>",
  "",
];

const CHATS: Array<{ messages: ChatMessage[]; add_generation_prompt?: boolean; add_vision_id?: boolean }> = [
  { messages: [{ role: "user", content: [{ type: "image" }, { type: "text", text: "Describe." }] }], add_generation_prompt: true },
  {
    messages: [
      { role: "system", content: "You are a robot policy. Think, then answer." },
      { role: "user", content: [{ type: "image", image: "a.png" }, { type: "image" }, { type: "text", text: "Which block is closer?" }] },
      { role: "assistant", content: "<think>The left one.</think><answer>left</answer>" },
    ],
    add_vision_id: true,
  },
  {
    messages: [
      { role: "user", content: "pick up the sponge" },
      { role: "assistant", content: [{ type: "text", text: "OK, " }, { type: "text", text: "grasping it." }] },
      { role: "user", content: "Now the cup 🤖." },
    ],
    add_generation_prompt: true,
  },
];

describe("trainQwenBpeTokenizer", () => {
  const trained = trainQwenBpeTokenizer(trainingCorpus(), { vocabSize: 3000 });

  it("learns the requested vocabulary and appends Qwen's special tokens in order", () => {
    expect(trained.learnedVocabSize).toBe(3000);
    expect(trained.merges).toBe(3000 - 256);
    const added = trained.tokenizerJson.added_tokens as Array<{ id: number; content: string; special: boolean }>;
    expect(added.map((t) => t.content)).toEqual([...QWEN_SPECIAL_TOKENS]);
    expect(added.map((t) => t.id)).toEqual(QWEN_SPECIAL_TOKENS.map((_, i) => 3000 + i));
    expect(trained.tokenizerConfig).toMatchObject({ eos_token: "<|im_end|>", pad_token: "<|endoftext|>", bos_token: null });
  });

  it("rejects a vocabulary smaller than the byte alphabet", () => {
    expect(() => trainQwenBpeTokenizer(["abc"], { vocabSize: 100 })).toThrow(TextInputError);
  });

  it.skipIf(!hasShared)(`special ids land where the tiny fixture model has them (480 + offset)${hasShared ? "" : ` (skipped: ${SHARED_MISSING})`}`, async () => {
    const small = trainQwenBpeTokenizer(trainingCorpus(), { vocabSize: 480 });
    const cfg = JSON.parse(readFileSync(join(sharedDir, "fixtures", "qwen2_5_vl", "tiny_untied", "config.json"), "utf8")) as Record<string, number>;
    const dir = mkdtempSync(join(tmpdir(), "qwen-tok-"));
    try {
      writeTokenizerFiles(dir, small);
      const tok = TextTokenizer.fromDir(dir);
      expect(tok.tokenToId("<|endoftext|>")).toBe(cfg.bos_token_id);
      expect(tok.tokenToId("<|im_end|>")).toBe(cfg.eos_token_id);
      expect(tok.tokenToId("<|vision_start|>")).toBe(cfg.vision_start_token_id);
      expect(tok.tokenToId("<|vision_end|>")).toBe(cfg.vision_end_token_id);
      expect(tok.tokenToId("<|vision_pad|>")).toBe(cfg.vision_token_id);
      expect(tok.tokenToId("<|image_pad|>")).toBe(cfg.image_token_id);
      expect(tok.tokenToId("<|video_pad|>")).toBe(cfg.video_token_id);
      expect(tok.vocabSize()).toBeLessThanOrEqual(cfg.vocab_size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!hasTransformers())(`npm tokenizers and Python transformers agree${hasTransformers() ? "" : ` (skipped: ${TRANSFORMERS_MISSING})`}`, () => {
    let dir = "";
    let actionDir = "";
    let ref: HfResult;
    let actionRef: HfResult;
    let tok: TextTokenizer;
    let actionTok: TextTokenizer;
    const ACTION_TEXT = "<think>Reach.</think><answer><action_start><action_12><action_3><action_0><action_end></answer>";

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "qwen-tok-"));
      actionDir = mkdtempSync(join(tmpdir(), "qwen-tok-act-"));
      writeTokenizerFiles(dir, trained);
      writeTokenizerFiles(actionDir, addActionTokensToFiles(trained, 64).files);
      tok = TextTokenizer.fromDir(dir);
      actionTok = TextTokenizer.fromDir(actionDir);
      ref = hfReference({
        dir,
        encode: STRINGS,
        chats: CHATS,
        decode: [
          { ids: [3001, 100, 200, 2999, 3002, 198], skip: false },
          { ids: [3001, 100, 200, 2999, 3002, 198], skip: true },
        ],
      });
      actionRef = hfReference({ dir: actionDir, encode: [ACTION_TEXT], decode: [{ ids: [3002, 3014, 3015, 3016], skip: true }] });
    });
    afterAll(() => {
      for (const d of [dir, actionDir]) if (d) rmSync(d, { recursive: true, force: true });
    });

    it("transformers loads it as Qwen2Tokenizer with the same size", () => {
      expect(ref.class).toBe("Qwen2Tokenizer");
      expect(ref.len).toBe(tok.vocabSize());
    });

    it.each(STRINGS.map((s, i) => [i, s] as const))("encodes string %i identically", async (i, s) => {
      expect(Array.from(await tok.encode(s))).toEqual(ref.encode[i]);
    });

    it.each(CHATS.map((c, i) => [i, c] as const))("chat %i: rendered text and ids equal apply_chat_template", async (i, c) => {
      const text = renderChatTemplate(
        c.messages,
        { addGenerationPrompt: c.add_generation_prompt, addVisionId: c.add_vision_id, specialTokens: tok.specialTokensMap() },
        tok.chatTemplate ?? undefined,
      );
      expect(text).toBe(ref.chats[i].text);
      expect(Array.from(await tok.encode(text))).toEqual(ref.chats[i].ids);
    });

    it("decodes like transformers, keeping or skipping special tokens", async () => {
      const ids = [3001, 100, 200, 2999, 3002, 198];
      expect(await tok.decode(ids)).toBe(ref.decode[0]);
      expect(await tok.decode(ids, { skipSpecialTokens: true })).toBe(ref.decode[1]);
    });

    it("with action tokens added (src/fast/action-vocab.ts), both encode them as single ids", async () => {
      const ids = Array.from(await actionTok.encode(ACTION_TEXT));
      expect(ids).toEqual(actionRef.encode[0]);
      const start = actionTok.tokenToId("<action_start>");
      expect(start).toBe(3014);
      expect(ids).toContain(actionTok.tokenToId("<action_12>"));
      // action tokens are not special: skipping special tokens keeps them
      expect(await actionTok.decode([3002, 3014, 3015, 3016], { skipSpecialTokens: true })).toBe(actionRef.decode[0]);
      expect(actionRef.decode[0]).toBe("<action_start><action_end><action_0>");
    });
  });
});
