// LLaVA-style visual instruction data (github.com/haotian-liu/LLaVA, docs/Finetune_Custom_Data.md):
// a JSON array or JSONL of `{id, image | images, conversations: [{from: human|gpt|system, value}]}`
// with `<image>` marking where each image goes. Converted to the project's ChatMessage format
// (src/text/chat-template.ts); images not placed by a `<image>` tag go before the first user
// text, as LLaVA does. Image paths resolve against `imageFolder`.
import { existsSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { ChatMessage, ContentPart } from "../../text/chat-template.js";
import { SkipLog } from "../skip.js";

export interface VqaRecord {
  id: string;
  messages: ChatMessage[];
  /** Resolved image paths, in the order their parts appear. */
  images: string[];
  source: { path: string; index: number };
}

const ROLES: Record<string, string> = { human: "user", user: "user", gpt: "assistant", assistant: "assistant", system: "system" };
const IMAGE_TAG = "<image>";

/** Converts one parsed record; returns why it cannot be used instead of throwing. */
export function llavaRecord(raw: unknown, imageFolder: string, path: string, index: number): VqaRecord | string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "record is not a JSON object";
  const r = raw as { id?: unknown; image?: unknown; images?: unknown; conversations?: unknown };
  if (!Array.isArray(r.conversations) || r.conversations.length === 0) return "`conversations` is missing or not a non-empty list";
  const names = r.images !== undefined ? r.images : r.image !== undefined ? [r.image] : [];
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) return "`image`/`images` must be a string or a list of strings";
  const images = (names as string[]).map((n) => (isAbsolute(n) ? n : resolve(imageFolder, n)));
  const missing = images.filter((p) => !existsSync(p));
  if (missing.length) return `missing image file(s): ${missing.join(", ")} (check --image-folder)`;

  const messages: ChatMessage[] = [];
  let next = 0;
  for (const [t, turn] of (r.conversations as unknown[]).entries()) {
    const c = turn as { from?: unknown; value?: unknown };
    const role = typeof c?.from === "string" ? ROLES[c.from] : undefined;
    if (!role || typeof c.value !== "string") return `conversations[${t}] needs \`from\` (human|gpt|system) and a string \`value\``;
    const content: ContentPart[] = [];
    const pieces = c.value.split(IMAGE_TAG);
    pieces.forEach((text, k) => {
      if (k > 0) content.push({ type: "image", image: images[next++] });
      const trimmed = k > 0 || pieces.length > 1 ? text.replace(/^\n+/, "").replace(/\n+$/, "") : text;
      if (trimmed) content.push({ type: "text", text: trimmed });
    });
    messages.push({ role, content });
  }
  if (next > images.length) return `${next} <image> tags but ${images.length} image(s)`;
  if (next < images.length) {
    // Untagged images: LLaVA prepends them to the first user turn.
    const first = messages.find((m) => m.role === "user");
    if (!first) return "images given but no user turn to attach them to";
    const extra: ContentPart[] = images.slice(next).map((image) => ({ type: "image", image }));
    first.content = [...extra, ...(first.content as ContentPart[])];
  }
  const id = typeof r.id === "string" || typeof r.id === "number" ? String(r.id) : `${index}`;
  return { id, messages, images, source: { path, index } };
}

export class LlavaReader {
  readonly format = "llava" as const;
  readonly skips: SkipLog;
  /** `path`: .json (array) or .jsonl; `imageFolder` defaults to `<dir of path>/images` when it exists, else the file's folder. */
  constructor(
    readonly path: string,
    readonly imageFolder: string = defaultImageFolder(path),
    skips?: SkipLog,
  ) {
    this.skips = skips ?? new SkipLog();
  }

  /** Records in file order; indices are 0-based array positions (.json) or 1-based line numbers (.jsonl). */
  async *records(): AsyncGenerator<VqaRecord> {
    if (this.path.endsWith(".jsonl")) yield* this.jsonl();
    else yield* this.jsonArray();
  }

  private *take(raw: unknown, index: number): Generator<VqaRecord> {
    const rec = llavaRecord(raw, this.imageFolder, this.path, index);
    if (typeof rec === "string") this.skips.add(this.path, index, rec);
    else yield rec;
  }

  private async *jsonArray(): AsyncGenerator<VqaRecord> {
    let all: unknown;
    try {
      all = JSON.parse(await readFile(this.path, "utf8"));
    } catch (e) {
      this.skips.add(this.path, "file", `malformed JSON (${(e as Error).message}); use .jsonl to keep the good lines of a damaged file`);
      return;
    }
    if (!Array.isArray(all)) {
      this.skips.add(this.path, "file", "expected a JSON array of records");
      return;
    }
    for (const [i, raw] of all.entries()) yield* this.take(raw, i);
  }

  private async *jsonl(): AsyncGenerator<VqaRecord> {
    const fh = await open(this.path, "r");
    try {
      let line = 0;
      for await (const text of createInterface({ input: fh.createReadStream({ encoding: "utf8" }), crlfDelay: Infinity })) {
        line++;
        if (!text.trim()) continue;
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch (e) {
          this.skips.add(this.path, line, `malformed JSON line (${(e as Error).message})`);
          continue;
        }
        yield* this.take(raw, line);
      }
    } finally {
      await fh.close();
    }
  }
}

function defaultImageFolder(path: string): string {
  const dir = resolve(path, "..");
  const images = resolve(dir, "images");
  return existsSync(images) ? images : dir;
}
