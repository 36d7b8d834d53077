// Chat-template rendering as transformers' `apply_chat_template(..., tokenize=False)` does it
// (reference/qwen2_5_vl.md §2): the checkpoint's Jinja template, rendered by @huggingface/jinja
// (which, like transformers' environment, uses trim_blocks and lstrip_blocks) with `messages`,
// `add_generation_prompt`, `add_vision_id` and the tokenizer's special tokens. No tools.

import { Template } from "@huggingface/jinja";
import { QWEN2_VL_CHAT_TEMPLATE } from "./default-template.js";
import { TextInputError } from "./errors.js";

export { QWEN2_VL_CHAT_TEMPLATE };

export interface TextPart {
  type: "text";
  text: string;
}

/** An image placeholder; `image` (a path or URL) is carried for the caller and ignored here. */
export interface ImagePart {
  type: "image";
  image?: string;
}

export type ContentPart = TextPart | ImagePart;

export interface ChatMessage {
  role: string;
  content: string | ContentPart[];
}

export interface RenderOptions {
  /** Append `<|im_start|>assistant\n` (for generation prompts). Default false. */
  addGenerationPrompt?: boolean;
  /** Prefix each image with `Picture k: ` (Qwen2-VL's `add_vision_id`). Default false. */
  addVisionId?: boolean;
  /**
   * Special tokens visible to the template (`bos_token`, `eos_token`, …); null entries are left
   * out, as transformers' `special_tokens_map` leaves out unset tokens.
   */
  specialTokens?: Record<string, string | null | undefined>;
}

/**
 * The same predicate the Qwen template uses to decide a content part is an image (a key set to
 * undefined counts as absent: parts reach the template as JSON, which drops such keys).
 */
export function isImagePart(part: unknown): boolean {
  if (typeof part !== "object" || part === null) return false;
  const p = part as Record<string, unknown>;
  return p.type === "image" || p.image !== undefined || p.image_url !== undefined;
}

/** The same predicate the Qwen template uses for a video part (checked after images). */
export function isVideoPart(part: unknown): boolean {
  if (typeof part !== "object" || part === null || isImagePart(part)) return false;
  const p = part as Record<string, unknown>;
  return p.type === "video" || p.video !== undefined;
}

/** Number of image parts in the messages, in the order the template emits `<|image_pad|>`. */
export function countImageParts(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages) if (Array.isArray(m.content)) for (const p of m.content) if (isImagePart(p)) n++;
  return n;
}

/** Checks the message shapes and returns plain JSON copies (absent keys stay absent for `in` tests). */
function toTemplateMessages(messages: readonly ChatMessage[]): unknown[] {
  if (!Array.isArray(messages)) throw new TextInputError("messages must be an array of {role, content}");
  return messages.map((m, i) => {
    if (typeof m !== "object" || m === null || typeof m.role !== "string") {
      throw new TextInputError(`message ${i} has no string "role"; expected {role: "system"|"user"|"assistant", content}`);
    }
    if (typeof m.content === "string") return { role: m.role, content: m.content };
    if (!Array.isArray(m.content)) {
      throw new TextInputError(`message ${i} (${m.role}): content must be a string or an array of {type: "text", text} / {type: "image"} parts`);
    }
    const content = (m.content as unknown[]).map((p, k) => {
      if (typeof p !== "object" || p === null) throw new TextInputError(`message ${i} part ${k} is not an object`);
      if (isVideoPart(p)) throw new TextInputError(`message ${i} part ${k} is a video; only text and image parts are supported`);
      if (!isImagePart(p) && typeof (p as TextPart).text !== "string") {
        throw new TextInputError(`message ${i} part ${k} is neither an image nor {type: "text", text: string}`);
      }
      return JSON.parse(JSON.stringify(p)) as unknown;
    });
    return { role: m.role, content };
  });
}

const compiled = new Map<string, Template>();

function compile(template: string): Template {
  let t = compiled.get(template);
  if (t === undefined) {
    try {
      t = new Template(template);
    } catch (e) {
      throw new TextInputError(`the chat template does not parse (${(e as Error).message}); check the checkpoint's chat_template`);
    }
    compiled.set(template, t);
  }
  return t;
}

/** The rendered prompt text of `messages` under `template` (default: the Qwen2-VL template). */
export function renderChatTemplate(messages: readonly ChatMessage[], options: RenderOptions = {}, template: string = QWEN2_VL_CHAT_TEMPLATE): string {
  const context: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options.specialTokens ?? {})) if (typeof v === "string") context[k] = v;
  context.messages = toTemplateMessages(messages);
  context.add_generation_prompt = options.addGenerationPrompt ?? false;
  context.add_vision_id = options.addVisionId ?? false;
  try {
    return compile(template).render(context);
  } catch (e) {
    throw new TextInputError(`rendering the chat template failed: ${(e as Error).message}`);
  }
}
