// A checkpoint's text tokenizer as transformers loads it (reference/qwen2_5_vl.md §2): the
// `tokenizer.json` through the npm `tokenizers` bindings (the same Rust code as Python), plus
// `tokenizer_config.json` (special tokens, `added_tokens_decoder`, chat template) and the
// chat-template files newer checkpoints ship (`chat_template.jinja`, then `chat_template.json`,
// which take precedence over the config's `chat_template`, as in transformers). Qwen adds no BOS:
// encoding never inserts special tokens; special tokens written in the text are still matched.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AddedToken, Tokenizer } from "tokenizers";
import { cleanUpTokenization } from "../fast/tokenizer.js";
import { TextInputError } from "./errors.js";

type NativeTokenizer = Tokenizer;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A special token entry of tokenizer_config.json: a string, an AddedToken object, or null. */
function tokenContent(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (isObject(v) && typeof v.content === "string") return v.content;
  return null;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new TextInputError(`cannot read ${what} at ${path} (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TextInputError(`${path} is not valid JSON (${(e as Error).message})`);
  }
}

/** The `chat_template` field of a tokenizer_config.json: a string, or a list of named templates. */
function configTemplate(config: Json, source: string): string | null {
  const t = config.chat_template;
  if (t === undefined || t === null) return null;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    const named = t.filter(isObject);
    const pick = named.find((x) => x.name === "default") ?? named[0];
    if (pick && typeof pick.template === "string") return pick.template;
  }
  throw new TextInputError(`${source}: chat_template is neither a string nor a list of {name, template}`);
}

/** The chat template a checkpoint folder ships, or null (callers then use the Qwen2-VL default). */
export function readChatTemplate(dir: string, config: Json = {}): string | null {
  const jinja = join(dir, "chat_template.jinja");
  if (existsSync(jinja)) return readFileSync(jinja, "utf8");
  const json = join(dir, "chat_template.json");
  if (existsSync(json)) {
    const doc = readJson(json, "chat_template.json");
    const t = isObject(doc) ? configTemplate(doc, json) : null;
    if (t === null) throw new TextInputError(`${json} has no string "chat_template"`);
    return t;
  }
  return configTemplate(config, join(dir, "tokenizer_config.json"));
}

export interface TokenizerSources {
  /** tokenizer.json text. */
  tokenizerJson: string;
  /** Parsed tokenizer_config.json ({} when absent). */
  tokenizerConfig?: Json;
  /** Chat template override (else the config's). */
  chatTemplate?: string | null;
  /** Where the files came from, for messages. */
  source?: string;
}

export interface DecodeOptions {
  /** Drop special added tokens (`<|im_end|>`, …); non-special ones such as `<action_k>` stay. */
  skipSpecialTokens?: boolean;
}

export interface EncodingWithOffsets {
  ids: Int32Array;
  /** [start, end) of each token in the input, in code points (not UTF-16 units). */
  offsets: Array<[number, number]>;
}

export class TextTokenizer {
  readonly native: NativeTokenizer;
  readonly config: Json;
  /** The checkpoint's chat template, or null when it ships none. */
  readonly chatTemplate: string | null;
  readonly bosToken: string | null;
  readonly eosToken: string | null;
  readonly padToken: string | null;
  readonly unkToken: string | null;
  readonly cleanUpTokenizationSpaces: boolean;
  readonly source: string;

  constructor(sources: TokenizerSources) {
    this.source = sources.source ?? "tokenizer.json";
    try {
      this.native = Tokenizer.fromString(sources.tokenizerJson);
    } catch (e) {
      throw new TextInputError(`${this.source} does not load in the tokenizers library (${(e as Error).message})`);
    }
    this.config = sources.tokenizerConfig ?? {};
    this.chatTemplate = sources.chatTemplate !== undefined ? sources.chatTemplate : configTemplate(this.config, "tokenizer_config.json");
    this.bosToken = tokenContent(this.config.bos_token);
    this.eosToken = tokenContent(this.config.eos_token);
    this.padToken = tokenContent(this.config.pad_token);
    this.unkToken = tokenContent(this.config.unk_token);
    this.cleanUpTokenizationSpaces = this.config.clean_up_tokenization_spaces === true;
    this.addConfigTokens();
  }

  /** Loads `tokenizer.json` (required), `tokenizer_config.json` and chat-template files from a checkpoint folder. */
  static fromDir(dir: string): TextTokenizer {
    const path = join(dir, "tokenizer.json");
    if (!existsSync(path)) {
      throw new TextInputError(
        `${dir} has no tokenizer.json; point to a Hugging Face checkpoint folder (slow-only vocab.json/merges.txt checkpoints are not supported: re-save with transformers to get tokenizer.json)`,
      );
    }
    const configPath = join(dir, "tokenizer_config.json");
    const config = existsSync(configPath) ? readJson(configPath, "tokenizer_config.json") : {};
    if (!isObject(config)) throw new TextInputError(`${configPath} does not hold a JSON object`);
    return new TextTokenizer({
      tokenizerJson: readFileSync(path, "utf8"),
      tokenizerConfig: config,
      chatTemplate: readChatTemplate(dir, config),
      source: path,
    });
  }

  /**
   * Adds `added_tokens_decoder` entries missing from tokenizer.json, as transformers does; their
   * ids must come out as the config says, else the two files disagree and loading fails.
   */
  private addConfigTokens(): void {
    const decoder = this.config.added_tokens_decoder;
    if (!isObject(decoder)) return;
    const entries = Object.entries(decoder)
      .map(([id, v]) => ({ id: Number(id), v }))
      .sort((a, b) => a.id - b.id);
    for (const { id, v } of entries) {
      const content = tokenContent(v);
      if (content === null || !Number.isInteger(id)) throw new TextInputError(`tokenizer_config.json: added_tokens_decoder["${id}"] has no content`);
      const have = this.native.tokenToId(content);
      if (have === id) continue;
      if (have !== null) {
        throw new TextInputError(`tokenizer_config.json gives ${JSON.stringify(content)} id ${id} but tokenizer.json has ${have}; the checkpoint's tokenizer files disagree`);
      }
      const o = v as Json;
      const token = new AddedToken(content, o.special === true, {
        singleWord: o.single_word === true,
        leftStrip: o.lstrip === true,
        rightStrip: o.rstrip === true,
        normalized: o.normalized === true,
      });
      this.native.addAddedTokens([token]);
      const got = this.native.tokenToId(content);
      if (got !== id) {
        throw new TextInputError(`tokenizer_config.json gives ${JSON.stringify(content)} id ${id}, which is not the next free id (${got}); add it to tokenizer.json's added_tokens`);
      }
    }
  }

  /** Ids of `text`; no BOS/EOS is added (special tokens spelled out in the text are matched). */
  async encode(text: string): Promise<Int32Array> {
    if (typeof text !== "string") throw new TextInputError(`encode expects a string, got ${typeof text}`);
    const enc = await this.native.encode(text, null, { addSpecialTokens: false });
    return Int32Array.from(enc.getIds());
  }

  /** Ids and code-point offsets of `text`. */
  async encodeWithOffsets(text: string): Promise<EncodingWithOffsets> {
    if (typeof text !== "string") throw new TextInputError(`encode expects a string, got ${typeof text}`);
    const enc = await this.native.encode(text, null, { addSpecialTokens: false });
    return { ids: Int32Array.from(enc.getIds()), offsets: enc.getOffsets().map((o) => [o[0], o[1]] as [number, number]) };
  }

  /** Text of `ids`, keeping special tokens unless asked to skip them. */
  async decode(ids: ArrayLike<number>, options: DecodeOptions = {}): Promise<string> {
    const list = Array.from(ids);
    const bad = list.findIndex((id) => !(Number.isInteger(id) && id >= 0 && id <= 0xffffffff));
    if (bad >= 0) throw new TextInputError(`id ${list[bad]} at index ${bad} is not a non-negative integer`);
    const text = await this.native.decode(list, options.skipSpecialTokens ?? false);
    return this.cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
  }

  tokenToId(token: string): number | null {
    return this.native.tokenToId(token) ?? null;
  }

  idToToken(id: number): string | null {
    return this.native.idToToken(id) ?? null;
  }

  /** Id of a token that must exist (special tokens the pipeline relies on). */
  requireId(token: string): number {
    const id = this.tokenToId(token);
    if (id === null) throw new TextInputError(`${this.source} has no token ${JSON.stringify(token)}; is this a Qwen2-VL / Qwen2.5-VL tokenizer?`);
    return id;
  }

  /** Number of ids, added tokens included by default. */
  vocabSize(withAddedTokens = true): number {
    return this.native.getVocabSize(withAddedTokens);
  }

  /** Special tokens for the chat template (`bos_token`, `eos_token`, …), unset ones left out. */
  specialTokensMap(): Record<string, string> {
    const map: Record<string, string> = {};
    const put = (k: string, v: string | null) => {
      if (v !== null) map[k] = v;
    };
    put("bos_token", this.bosToken);
    put("eos_token", this.eosToken);
    put("pad_token", this.padToken);
    put("unk_token", this.unkToken);
    return map;
  }
}
