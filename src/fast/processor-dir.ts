// Loading and saving a FAST processor directory in the layout of transformers'
// `save_pretrained` for `UniversalActionProcessor`: processor_config.json (scale, min_token,
// vocab_size, time_horizon, action_dim), tokenizer.json, tokenizer_config.json,
// special_tokens_map.json; plus this project's action_norm_stats.json when actions are
// normalized (reference/fast.md §7, T3).

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { FastInputError } from "./chunk.js";
import { ActionNormalizer } from "./normalization.js";
import { FastProcessor } from "./processor.js";
import { ByteLevelBpeTokenizer } from "./tokenizer.js";
import { parseTokenizerJson, serializeTokenizerJson } from "./tokenizer-json.js";

export const PROCESSOR_CONFIG_FILE = "processor_config.json";
export const TOKENIZER_FILE = "tokenizer.json";
export const TOKENIZER_CONFIG_FILE = "tokenizer_config.json";
export const SPECIAL_TOKENS_MAP_FILE = "special_tokens_map.json";
export const NORM_STATS_FILE = "action_norm_stats.json";

export interface FastDirectory {
  processor: FastProcessor;
  /** Action normalization saved with the tokenizer, or null. */
  normalizer: ActionNormalizer | null;
  /** processor_config.json keys other than the five numbers (e.g. `auto_map`), kept on save. */
  processorConfigExtra: Record<string, unknown>;
  /** tokenizer_config.json as read (kept verbatim on save), or null to write the default. */
  tokenizerConfigText: string | null;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FastInputError(code === "ENOENT" ? `${file} does not exist` : `cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FastInputError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

const CONFIG_KEYS = ["scale", "min_token", "vocab_size", "time_horizon", "action_dim"];

/** Loads a FAST processor directory (FAST+ or one saved by `saveFastDirectory`). */
export function loadFastDirectory(dir: string): FastDirectory {
  if (!existsSync(dir)) throw new FastInputError(`tokenizer directory ${dir} does not exist`);
  const configFile = path.join(dir, PROCESSOR_CONFIG_FILE);
  const tokenizerFile = path.join(dir, TOKENIZER_FILE);
  if (!existsSync(configFile) || !existsSync(tokenizerFile)) {
    throw new FastInputError(`${dir} is not a FAST tokenizer directory: it needs ${PROCESSOR_CONFIG_FILE} and ${TOKENIZER_FILE} (run \`roboalign fast fit\` to make one)`);
  }
  const raw = readJson(configFile);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new FastInputError(`${configFile} is not a JSON object`);
  const cfg = raw as Record<string, unknown>;
  const num = (key: string, fallback: number): number => {
    const v = cfg[key] ?? fallback;
    if (typeof v !== "number") throw new FastInputError(`${configFile}: "${key}" must be a number`);
    return v;
  };
  const optInt = (key: string): number | null => {
    const v = cfg[key];
    if (v === null || v === undefined || v === 0) return null; // Python `or`: 0 counts as unset
    if (typeof v !== "number") throw new FastInputError(`${configFile}: "${key}" must be a number or null`);
    return v;
  };
  // Missing keys take the reference constructor's defaults.
  const config = {
    scale: num("scale", 10),
    minToken: num("min_token", 0),
    vocabSize: num("vocab_size", 1024),
    timeHorizon: optInt("time_horizon"),
    actionDim: optInt("action_dim"),
  };

  let tokenizerConfigText: string | null = null;
  let cleanUp = false; // transformers' current default when tokenizer_config.json does not say
  const tokConfigFile = path.join(dir, TOKENIZER_CONFIG_FILE);
  if (existsSync(tokConfigFile)) {
    tokenizerConfigText = readFileSync(tokConfigFile, "utf8");
    const tc = readJson(tokConfigFile) as Record<string, unknown>;
    cleanUp = tc?.clean_up_tokenization_spaces === true;
  }
  const model = parseTokenizerJson(readFileSync(tokenizerFile, "utf8"), tokenizerFile);
  const processor = new FastProcessor(new ByteLevelBpeTokenizer(model, { cleanUpTokenizationSpaces: cleanUp }), config);

  const statsFile = path.join(dir, NORM_STATS_FILE);
  const normalizer = existsSync(statsFile) ? ActionNormalizer.fromJSON(readJson(statsFile), statsFile) : null;
  const processorConfigExtra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cfg)) if (!CONFIG_KEYS.includes(k)) processorConfigExtra[k] = v;
  return { processor, normalizer, processorConfigExtra, tokenizerConfigText };
}

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Python's `json.dumps(obj, indent=2, sort_keys=True)` layout for flat configs. */
function sortedJson(obj: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) sorted[k] = obj[k];
  return JSON.stringify(sorted, null, 2) + "\n";
}

/** tokenizer_config.json as `fit()` + `save_pretrained` writes it (clean-up off). */
const FIT_TOKENIZER_CONFIG = `{
  "added_tokens_decoder": {},
  "clean_up_tokenization_spaces": false,
  "extra_special_tokens": {},
  "model_max_length": 1000000000000000019884624838656,
  "processor_class": "UniversalActionProcessor",
  "tokenizer_class": "PreTrainedTokenizerFast"
}
`;

/** Writes a FAST processor directory that transformers and this project both load. */
export function saveFastDirectory(dir: string, contents: Partial<FastDirectory> & { processor: FastProcessor }): void {
  const { processor, normalizer = null, processorConfigExtra = {}, tokenizerConfigText = null } = contents;
  mkdirSync(dir, { recursive: true });
  const c = processor.config;
  const config = {
    processor_class: "UniversalActionProcessor",
    ...processorConfigExtra,
    scale: c.scale,
    min_token: c.minToken,
    vocab_size: c.vocabSize,
    time_horizon: c.timeHorizon,
    action_dim: c.actionDim,
  };
  atomicWrite(path.join(dir, TOKENIZER_FILE), serializeTokenizerJson(processor.tokenizer.model));
  let tokConfig = tokenizerConfigText;
  if (tokConfig === null) {
    tokConfig = FIT_TOKENIZER_CONFIG;
    if (processor.tokenizer.cleanUpTokenizationSpaces) tokConfig = tokConfig.replace('"clean_up_tokenization_spaces": false', '"clean_up_tokenization_spaces": true');
  }
  atomicWrite(path.join(dir, TOKENIZER_CONFIG_FILE), tokConfig);
  if (!existsSync(path.join(dir, SPECIAL_TOKENS_MAP_FILE))) atomicWrite(path.join(dir, SPECIAL_TOKENS_MAP_FILE), "{}\n");
  const statsFile = path.join(dir, NORM_STATS_FILE);
  if (normalizer) atomicWrite(statsFile, JSON.stringify(normalizer.toJSON(), null, 2) + "\n");
  else rmSync(statsFile, { force: true }); // a stale file would normalize with the wrong statistics
  atomicWrite(path.join(dir, PROCESSOR_CONFIG_FILE), sortedJson(config));
}
