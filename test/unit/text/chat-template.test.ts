// The default chat template and its rendering against reference/qwen2_5_vl.md §2: the template
// text is the reference's byte for byte, and the one-image example renders to the reference
// string. (Parity with transformers' apply_chat_template is in bpe-trainer.test.ts.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QWEN2_VL_CHAT_TEMPLATE, TextInputError, countImageParts, renderChatTemplate, type ChatMessage } from "../../../src/text/index.js";
import { SHARED_MISSING, hasShared, sharedDir } from "../../helpers/paths.js";

// §2: "User message = [image, text "Describe."] with a generation prompt renders as:"
const SECTION2_EXAMPLE =
  "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Describe.<|im_end|>\n<|im_start|>assistant\n";

describe("QWEN2_VL_CHAT_TEMPLATE", () => {
  it.skipIf(!hasShared)(`is the template text of reference §2${hasShared ? "" : ` (skipped: ${SHARED_MISSING})`}`, () => {
    const md = readFileSync(join(sharedDir, "reference", "qwen2_5_vl.md"), "utf8");
    const at = md.indexOf("Template (Jinja");
    const start = md.indexOf("```\n", at) + 4;
    const end = md.indexOf("\n```", start);
    expect(QWEN2_VL_CHAT_TEMPLATE).toBe(md.slice(start, end));
    expect(md).toContain(SECTION2_EXAMPLE.replaceAll("\n", "\\n"));
  });

  it("renders §2's one-image example", () => {
    const messages: ChatMessage[] = [{ role: "user", content: [{ type: "image" }, { type: "text", text: "Describe." }] }];
    expect(renderChatTemplate(messages, { addGenerationPrompt: true })).toBe(SECTION2_EXAMPLE);
  });

  it("keeps a given system prompt, numbers images with add_vision_id, and closes assistant turns with <|im_end|>\\n", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "Sys." },
      { role: "user", content: [{ type: "image", image: "a.png" }, { type: "image" }, { type: "text", text: "Q" }] },
      { role: "assistant", content: "<think>t</think><answer>a</answer>" },
    ];
    expect(renderChatTemplate(messages, { addVisionId: true })).toBe(
      "<|im_start|>system\nSys.<|im_end|>\n<|im_start|>user\n" +
        "Picture 1: <|vision_start|><|image_pad|><|vision_end|>Picture 2: <|vision_start|><|image_pad|><|vision_end|>Q<|im_end|>\n" +
        "<|im_start|>assistant\n<think>t</think><answer>a</answer><|im_end|>\n",
    );
    expect(countImageParts(messages)).toBe(2);
  });

  it("errors on malformed messages and templates", () => {
    expect(() => renderChatTemplate([{ role: "user", content: 3 } as unknown as ChatMessage])).toThrow(/content must be a string or an array/);
    expect(() => renderChatTemplate([{ content: "x" } as unknown as ChatMessage])).toThrow(/no string "role"/);
    expect(() => renderChatTemplate([{ role: "user", content: [{ type: "video" }] } as unknown as ChatMessage])).toThrow(/video/);
    expect(() => renderChatTemplate([{ role: "user", content: [{ type: "text" }] } as unknown as ChatMessage])).toThrow(TextInputError);
    expect(() => renderChatTemplate([], {}, "{% if %}")).toThrow(/does not parse/);
    expect(() => renderChatTemplate([], {}, "{{ raise_exception('no system') }}")).toThrow(/no system/);
  });
});
