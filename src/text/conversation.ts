// Chat messages → SFT inputs of Qwen2.5-VL (reference/qwen2_5_vl.md §2): render the chat
// template once, tokenize the whole prompt, expand each `<|image_pad|>` to its image's merged
// token count (`Qwen2_5_VLProcessor` does the same on the text; the pad is a special token, so
// expanding after tokenization gives the same ids), and build labels.
//
// Label convention (Qwen2.5-VL's official `qwen-vl-finetune` `preprocess_qwen_2_visual`, and
// LLaMA-Factory's qwen2_vl template, agree): every token is IGNORE_INDEX (-100) except, in each
// assistant turn, the content tokens, the closing `<|im_end|>` and the "\n" after it; the
// `<|im_start|>assistant\n` header is masked (the official script masks its first 3 tokens).
// Learning `<|im_end|>` teaches the model to stop; the trailing "\n" is what those scripts keep.
// Image tokens are always masked.
//
// Assistant spans are found in the rendered text (after `<|im_start|>assistant\n`, through the
// next `<|im_end|>` and one "\n"), and each token is labelled by where it starts (the tokenizer's
// offsets), so the labels never depend on how the text around a boundary tokenizes.

import { countImageParts, renderChatTemplate, type ChatMessage } from "./chat-template.js";
import { TextInputError } from "./errors.js";
import { imageTokenCount } from "./rope-index.js";
import { IM_END, IM_START, IMAGE_PAD, VIDEO_PAD } from "./special-tokens.js";
import type { TextTokenizer } from "./tokenizer.js";

export const IGNORE_INDEX = -100;

const ASSISTANT_HEADER = `${IM_START}assistant\n`;

export interface EncodeConversationOptions {
  /** [t, h, w] patch grid of each image, in the order the images appear (`image_grid_thw`). */
  imageGridThw?: ReadonlyArray<ArrayLike<number>>;
  /** Or the merged-token count of each image directly. */
  imageTokenCounts?: ReadonlyArray<number>;
  spatialMergeSize?: number;
  /** End with `<|im_start|>assistant\n` (inference prompts). Default false. */
  addGenerationPrompt?: boolean;
  addVisionId?: boolean;
  /** Template override; default: the tokenizer's, else the Qwen2-VL template. */
  chatTemplate?: string;
}

export interface EncodedConversation {
  inputIds: Int32Array;
  labels: Int32Array;
  /** Image tokens after expansion (Σ per-image counts). */
  imageTokenCount: number;
  /** The rendered prompt, before image expansion. */
  text: string;
}

/** Code-point index of each UTF-16 index of `s` (length s.length + 1). */
function codePointIndex(s: string): Int32Array {
  const out = new Int32Array(s.length + 1);
  let cp = 0;
  for (let i = 0; i < s.length; i++) {
    out[i] = cp;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) out[++i] = cp;
    }
    cp++;
  }
  out[s.length] = cp;
  return out;
}

/** [start, end) UTF-16 ranges of the trained part of each finished assistant turn. */
export function assistantSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let from = 0;
  for (;;) {
    const h = text.indexOf(ASSISTANT_HEADER, from);
    if (h < 0) break;
    const start = h + ASSISTANT_HEADER.length;
    const close = text.indexOf(IM_END, start);
    if (close < 0) break; // a generation prompt: nothing to learn
    let end = close + IM_END.length;
    if (text[end] === "\n") end++;
    spans.push([start, end]);
    from = end;
  }
  return spans;
}

function perImageCounts(nImages: number, options: EncodeConversationOptions): number[] {
  const { imageGridThw, imageTokenCounts } = options;
  if (imageGridThw !== undefined && imageTokenCounts !== undefined) {
    throw new TextInputError("pass imageGridThw or imageTokenCounts, not both");
  }
  let counts: number[];
  if (imageGridThw !== undefined) counts = imageGridThw.map((g) => imageTokenCount(g, options.spatialMergeSize ?? 2));
  else if (imageTokenCounts !== undefined) {
    counts = imageTokenCounts.map((n, i) => {
      if (!Number.isInteger(n) || n < 1) throw new TextInputError(`imageTokenCounts[${i}] = ${n} must be a positive integer`);
      return n;
    });
  } else counts = [];
  if (counts.length !== nImages) {
    throw new TextInputError(
      `the messages hold ${nImages} image part(s) but ${counts.length} image grid(s)/count(s) were given; pass one per image, in the order the images appear`,
    );
  }
  return counts;
}

/** Input ids and labels of a conversation, images expanded. */
export async function encodeConversation(
  tokenizer: TextTokenizer,
  messages: readonly ChatMessage[],
  options: EncodeConversationOptions = {},
): Promise<EncodedConversation> {
  const counts = perImageCounts(countImageParts(messages), options);
  const nAssistant = messages.filter((m) => m.role === "assistant").length;
  const text = renderChatTemplate(
    messages,
    { addGenerationPrompt: options.addGenerationPrompt, addVisionId: options.addVisionId, specialTokens: tokenizer.specialTokensMap() },
    options.chatTemplate ?? tokenizer.chatTemplate ?? undefined,
  );
  const imagePad = tokenizer.requireId(IMAGE_PAD);
  const videoPad = tokenizer.tokenToId(VIDEO_PAD);

  const spans = assistantSpans(text);
  if (spans.length !== nAssistant) {
    throw new TextInputError(
      `found ${spans.length} finished assistant turn(s) in the rendered prompt but the messages hold ${nAssistant}; the template must write assistant turns as "${IM_START}assistant\\n…${IM_END}" and message text must not contain that header`,
    );
  }
  const cp = codePointIndex(text);
  const cpSpans = spans.map(([s, e]) => [cp[s], cp[e]] as const);

  const { ids, offsets } = await tokenizer.encodeWithOffsets(text);
  let pads = 0;
  for (const id of ids) if (id === imagePad) pads++;
  if (pads !== counts.length) {
    throw new TextInputError(
      `the rendered prompt holds ${pads} ${IMAGE_PAD} token(s) but there are ${counts.length} image(s); message text must not spell out ${IMAGE_PAD}`,
    );
  }
  const total = ids.length - pads + counts.reduce((a, b) => a + b, 0);
  const inputIds = new Int32Array(total);
  const labels = new Int32Array(total).fill(IGNORE_INDEX);
  let o = 0;
  let img = 0;
  let span = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (videoPad !== null && id === videoPad) throw new TextInputError(`the prompt holds ${VIDEO_PAD}; video inputs are not supported`);
    if (id === imagePad) {
      inputIds.fill(imagePad, o, o + counts[img]);
      o += counts[img++];
      continue;
    }
    const start = offsets[i][0];
    while (span < cpSpans.length && start >= cpSpans[span][1]) span++;
    if (span < cpSpans.length && start >= cpSpans[span][0]) labels[o] = id;
    inputIds[o++] = id;
  }
  return { inputIds, labels, imageTokenCount: total - (ids.length - pads), text };
}
