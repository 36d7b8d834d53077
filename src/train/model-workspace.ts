// A trainable model with everything a stage needs around it: the Hugging Face checkpoint (or a
// named preset, randomly initialised), its tokenizer extended with the FAST action tokens (the
// embeddings grow with Hugging Face mean resizing when they do not cover them), the FAST codec,
// the image processor settings and the M-RoPE options. A saved workspace is a Hugging Face
// folder that the next stage (and `transformers`) loads as is, with the FAST tokenizer in `fast/`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addActionTokens, addActionTokensToTokenizerConfig, type ActionVocab } from "../fast/action-vocab.js";
import { FastCodec } from "../fast/codec.js";
import { loadFastDirectory, saveFastDirectory, type FastDirectory } from "../fast/processor-dir.js";
import { loadCheckpoint, saveCheckpoint } from "../model/checkpoint.js";
import { ropeOptions, textConfigJson, vlConfigJson, type ParsedHfConfig, parseHfConfig } from "../model/hf-config.js";
import { modelPreset } from "../model/presets.js";
import { tokenizerFacts } from "../model/tokenizer-facts.js";
import type { Device, DType, ModelHandle, NativeCore } from "../native/contract.js";
import type { RopeIndexOptions } from "../text/rope-index.js";
import { TextTokenizer } from "../text/tokenizer.js";
import { writeTokenizerFiles, type TokenizerFiles } from "../text/tokenizer-files.js";
import { loadImageProcessorConfig, PREPROCESSOR_CONFIG_FILE, type ImageProcessorOptions } from "../vision/processor-config.js";

type Json = Record<string, unknown>;

export const PRESET_PREFIX = "preset:";
export const FAST_SUBDIR = "fast";

export interface WorkspaceSource {
  /** Hugging Face checkpoint folder, or `preset:NAME` for a randomly initialised model. */
  model: string;
  /** Tokenizer folder; empty = the model folder's (required for presets). */
  tokenizer: string;
  /** FAST processor folder; empty = `<model>/fast`. */
  fast: string;
  device: Device;
  dtype: DType;
  /** Initialisation seed of presets and of new embedding rows. */
  seed: number;
}

export interface Workspace {
  core: NativeCore;
  handle: ModelHandle;
  config: ParsedHfConfig;
  /** config.json as it will be saved (vocab size follows the embeddings on save). */
  configJson: Json;
  tokenizer: TextTokenizer;
  tokenizerFiles: TokenizerFiles;
  vocab: ActionVocab;
  codec: FastCodec;
  /** The FAST tokenizer as loaded (kept in memory: its folder may be a checkpoint that gets pruned). */
  fast: FastDirectory;
  /** Preprocessor, generation-config and template files of the source folder, written again on save. */
  assets: Map<string, Buffer>;
  imageOptions: Partial<ImageProcessorOptions>;
  rope: RopeIndexOptions | null;
  padId: number;
  eosIds: number[];
}

const ASSET_FILES = [PREPROCESSOR_CONFIG_FILE, "generation_config.json", "chat_template.json", "chat_template.jinja", "special_tokens_map.json"];

function readJson(file: string): Json {
  return JSON.parse(readFileSync(file, "utf8")) as Json;
}

function readTokenizerFiles(dir: string): TokenizerFiles {
  const file = join(dir, "tokenizer.json");
  if (!existsSync(file)) throw new Error(`${dir} has no tokenizer.json: set --tokenizer to a tokenizer folder (e.g. one from \`roboalign tokenizer train\`)`);
  const cfg = join(dir, "tokenizer_config.json");
  return { tokenizerJson: readJson(file), tokenizerConfig: existsSync(cfg) ? readJson(cfg) : {} };
}

/** Opens (or initialises) the model, adds the action tokens and loads the FAST codec. */
export async function openWorkspace(core: NativeCore, src: WorkspaceSource): Promise<Workspace> {
  const isPreset = src.model.startsWith(PRESET_PREFIX);
  const tokenizerDir = src.tokenizer || (isPreset ? "" : src.model);
  if (!tokenizerDir) throw new Error(`model ${src.model} is a preset: set --tokenizer to a tokenizer folder`);
  const fastDir = src.fast || join(src.model, FAST_SUBDIR);
  if (!existsSync(join(fastDir, "processor_config.json"))) {
    throw new Error(`no FAST tokenizer at ${fastDir}: set --fast to a folder from \`roboalign fast fit\` (or the FAST+ files)`);
  }
  const fast = loadFastDirectory(fastDir);
  const codec = new FastCodec(fast.processor, fast.normalizer);

  const base = readTokenizerFiles(tokenizerDir);
  const withActions = addActionTokens(base.tokenizerJson, fast.processor.config.vocabSize);
  const tokenizerFiles: TokenizerFiles = {
    tokenizerJson: withActions.tokenizer,
    tokenizerConfig: addActionTokensToTokenizerConfig(base.tokenizerConfig, withActions.vocab),
  };
  const tokenizer = new TextTokenizer({
    tokenizerJson: JSON.stringify(tokenizerFiles.tokenizerJson),
    tokenizerConfig: tokenizerFiles.tokenizerConfig,
    chatTemplate: existsSync(join(tokenizerDir, "chat_template.jinja")) ? readFileSync(join(tokenizerDir, "chat_template.jinja"), "utf8") : undefined,
    source: join(tokenizerDir, "tokenizer.json"),
  });
  const needRows = withActions.vocab.firstActionId + withActions.vocab.size;

  let handle: ModelHandle;
  let configJson: Json;
  if (isPreset) {
    const preset = modelPreset(src.model.slice(PRESET_PREFIX.length));
    const facts = tokenizerFacts(tokenizerDir);
    const text = { ...preset.text, vocabSize: Math.ceil(Math.max(facts.vocabSize, needRows) / 64) * 64 };
    configJson = preset.vision ? vlConfigJson(text, preset.vision, facts.ids) : textConfigJson(text, { bos_token_id: facts.ids.bos, eos_token_id: facts.ids.eos });
    const config = parseHfConfig(configJson);
    handle = await core.initModel({ config: config.text, vision: config.vision ?? undefined, device: src.device, dtype: src.dtype, seed: src.seed });
  } else {
    const loaded = await loadCheckpoint(core, src.model, { device: src.device, dtype: src.dtype });
    handle = loaded.handle;
    configJson = loaded.config.raw as Json;
  }
  let config = parseHfConfig(configJson);
  if (config.text.vocabSize < needRows) {
    const info = await core.resizeTokenEmbeddings(handle, Math.ceil(needRows / 64) * 64, src.seed);
    configJson = { ...configJson };
    config = { ...config, text: { ...config.text, vocabSize: info.vocabSize } };
  }
  const assets = new Map<string, Buffer>();
  if (!isPreset) for (const f of ASSET_FILES) if (existsSync(join(src.model, f))) assets.set(f, readFileSync(join(src.model, f)));
  const imageOptions = !isPreset && existsSync(join(src.model, PREPROCESSOR_CONFIG_FILE)) ? loadImageProcessorConfig(src.model) : {};
  const rope = ropeOptions(config);
  const padId = tokenizer.tokenToId("<|endoftext|>") ?? 0;
  return { core, handle, config, configJson, tokenizer, tokenizerFiles, vocab: withActions.vocab, codec, fast, assets, imageOptions, rope, padId, eosIds: config.eosTokenIds };
}

/** Writes the workspace as a Hugging Face folder (weights, config, tokenizer with action tokens, FAST in `fast/`). */
export async function saveWorkspaceModel(ws: Workspace, dir: string, dtype: DType = "float32"): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await saveCheckpoint(ws.core, ws.handle, dir, ws.configJson, { dtype });
  writeTokenizerFiles(dir, ws.tokenizerFiles);
  for (const [f, bytes] of ws.assets) writeFileSync(join(dir, f), bytes);
  saveFastDirectory(join(dir, FAST_SUBDIR), ws.fast);
}

export async function closeWorkspace(ws: Workspace): Promise<void> {
  await ws.core.dispose(ws.handle);
}
