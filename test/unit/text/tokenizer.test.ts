// Loading a checkpoint's tokenizer files as transformers does (reference/qwen2_5_vl.md §2): no BOS
// added, chat-template precedence (chat_template.jinja > chat_template.json > tokenizer_config),
// added_tokens_decoder entries merged, and clear errors for missing or inconsistent files.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TextInputError, TextTokenizer, readChatTemplate, trainQwenBpeTokenizer, writeTokenizerFiles } from "../../../src/text/index.js";

const trained = trainQwenBpeTokenizer(["hello world, hello robot. pick up the cup and the block"], { vocabSize: 300 });
const base = trained.learnedVocabSize;

describe("TextTokenizer.fromDir", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "text-tok-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("says what is missing", () => {
    expect(() => TextTokenizer.fromDir(join(dir, "nope"))).toThrow(/has no tokenizer\.json/);
    writeFileSync(join(dir, "tokenizer.json"), "{}");
    expect(() => TextTokenizer.fromDir(dir)).toThrow(/does not load in the tokenizers library/);
    writeTokenizerFiles(dir, trained);
    writeFileSync(join(dir, "tokenizer_config.json"), "{oops");
    expect(() => TextTokenizer.fromDir(dir)).toThrow(/tokenizer_config\.json is not valid JSON/);
  });

  it("encodes without BOS, matches special tokens in text, and looks tokens up", async () => {
    writeTokenizerFiles(dir, trained);
    const tok = TextTokenizer.fromDir(dir);
    expect(tok.eosToken).toBe("<|im_end|>");
    expect(tok.padToken).toBe("<|endoftext|>");
    expect(tok.bosToken).toBeNull();
    const ids = Array.from(await tok.encode("<|im_start|>hello<|im_end|>"));
    expect(ids[0]).toBe(base + 1);
    expect(ids.at(-1)).toBe(base + 2);
    expect(tok.idToToken(base + 12)).toBe("<|image_pad|>");
    expect(tok.requireId("<|image_pad|>")).toBe(base + 12);
    expect(() => tok.requireId("<|nope|>")).toThrow(/has no token "<\|nope\|>"/);
    expect(await tok.decode(ids, { skipSpecialTokens: true })).toBe("hello");
    expect(await tok.decode(ids)).toBe("<|im_start|>hello<|im_end|>");
    await expect(tok.decode([1, -2])).rejects.toThrow(/id -2 at index 1/);
    const { offsets } = await tok.encodeWithOffsets("é🤖x");
    expect(offsets.at(-1)).toEqual([2, 3]); // code points, not UTF-16 units
  });

  it("prefers chat_template.jinja, then chat_template.json, then tokenizer_config.json", () => {
    writeTokenizerFiles(dir, { ...trained, tokenizerConfig: { ...trained.tokenizerConfig, chat_template: "CONFIG" } });
    expect(TextTokenizer.fromDir(dir).chatTemplate).toBe("CONFIG");
    writeFileSync(join(dir, "chat_template.json"), JSON.stringify({ chat_template: "JSON" }));
    expect(TextTokenizer.fromDir(dir).chatTemplate).toBe("JSON");
    writeFileSync(join(dir, "chat_template.jinja"), "JINJA");
    expect(TextTokenizer.fromDir(dir).chatTemplate).toBe("JINJA");
    expect(readChatTemplate(join(dir, "elsewhere"), { chat_template: [{ name: "tool_use", template: "T" }, { name: "default", template: "D" }] })).toBe("D");
    expect(readChatTemplate(join(dir, "elsewhere"), {})).toBeNull();
  });

  it("adds added_tokens_decoder entries that tokenizer.json lacks, and rejects conflicting ids", async () => {
    const extraId = base + 14;
    const decoder = { ...(trained.tokenizerConfig.added_tokens_decoder as object), [extraId]: { content: "<extra>", special: false } };
    writeTokenizerFiles(dir, { ...trained, tokenizerConfig: { ...trained.tokenizerConfig, added_tokens_decoder: decoder } });
    const tok = TextTokenizer.fromDir(dir);
    expect(tok.tokenToId("<extra>")).toBe(extraId);
    expect(Array.from(await tok.encode("a<extra>"))).toContain(extraId);

    const wrong = { ...(trained.tokenizerConfig.added_tokens_decoder as object), [base + 20]: { content: "<gap>", special: true } };
    writeTokenizerFiles(dir, { ...trained, tokenizerConfig: { ...trained.tokenizerConfig, added_tokens_decoder: wrong } });
    expect(() => TextTokenizer.fromDir(dir)).toThrow(/not the next free id/);

    const clash = { ...(trained.tokenizerConfig.added_tokens_decoder as object), [base + 30]: { content: "<|im_end|>", special: true } };
    writeTokenizerFiles(dir, { ...trained, tokenizerConfig: { ...trained.tokenizerConfig, added_tokens_decoder: clash } });
    expect(() => TextTokenizer.fromDir(dir)).toThrow(TextInputError);
  });
});
