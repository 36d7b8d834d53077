// ref: Isaac-GR00T gr00t/model/backbone/eagle_backbone.py (select_layer, frozen, hidden_states[select_layer])
// and shared/reference/action-head.md §5.2, §8, §11.2. The frozen MLLM as a feature extractor:
// one user turn (the camera images in order, then the instruction; generation prompt added), run
// up to layer L, hidden states of every token returned. With `normHidden` the final RMSNorm is
// applied, which is what GR00T's truncated LLM returns as hidden_states[L].
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadCheckpoint } from "../model/checkpoint.js";
import { ropeOptions, type ParsedHfConfig } from "../model/hf-config.js";
import type { Device, DType, ModelHandle, NativeCore, TokenBatch } from "../native/contract.js";
import { encodeConversation } from "../text/conversation.js";
import { ropeIndexBatch, type RopeIndexOptions } from "../text/rope-index.js";
import { TextTokenizer } from "../text/tokenizer.js";
import { preprocessImages, type RgbImage } from "../vision/image-processor.js";
import { loadImageProcessorConfig, PREPROCESSOR_CONFIG_FILE, type ImageProcessorOptions } from "../vision/processor-config.js";
import { concatFloat32 } from "../util/arrays.js";

/** What the backbone sees of one observation. */
export interface VlInput {
  images: RgbImage[];
  instruction: string;
}

/** One observation's features: `[tokens, dim]` row-major. */
export interface VlFeatures {
  data: Float32Array;
  tokens: number;
}

export interface BackboneOptions {
  /** Hugging Face Qwen2.5-VL (or Qwen2) checkpoint folder with its tokenizer. */
  dir: string;
  /** Hugging Face hidden-state index: 0 = embeddings, i = after decoder layer i. */
  layer: number;
  /** Apply the final RMSNorm (GR00T's truncated backbone); default true. */
  normHidden?: boolean;
  device?: Device;
  dtype?: DType;
  /** Rows per native forward pass. */
  batchSize?: number;
}

/** The settings that make two feature sets comparable (cache keys, policy.json). */
export interface BackboneIdentity {
  dir: string;
  layer: number;
  normHidden: boolean;
}

export class FrozenBackbone {
  readonly dim: number;
  readonly identity: BackboneIdentity;

  private constructor(
    private readonly core: NativeCore,
    private readonly handle: ModelHandle,
    readonly config: ParsedHfConfig,
    private readonly tokenizer: TextTokenizer,
    private readonly imageOptions: Partial<ImageProcessorOptions>,
    private readonly rope: RopeIndexOptions | null,
    private readonly padId: number,
    private readonly batchSize: number,
    layer: number,
    normHidden: boolean,
    dir: string,
  ) {
    this.dim = config.text.hiddenSize;
    this.identity = { dir, layer, normHidden };
  }

  static async open(core: NativeCore, o: BackboneOptions): Promise<FrozenBackbone> {
    if (!existsSync(join(o.dir, "config.json"))) {
      throw new Error(`${o.dir} is not a checkpoint folder (no config.json): --backbone takes a Hugging Face Qwen2.5-VL folder, e.g. runs/default/sft/final`);
    }
    if (!existsSync(join(o.dir, "tokenizer.json"))) throw new Error(`${o.dir} has no tokenizer.json: the backbone folder must hold its tokenizer`);
    const loaded = await loadCheckpoint(core, o.dir, { device: o.device ?? "cpu", dtype: o.dtype ?? "float32" });
    const L = loaded.config.text.numHiddenLayers;
    if (!(Number.isInteger(o.layer) && o.layer >= 1 && o.layer <= L)) {
      await core.dispose(loaded.handle);
      throw new Error(`--layer ${o.layer} is out of range: ${o.dir} has ${L} decoder layers (use 1..${L}; the paper takes 18 of Qwen2.5-VL-7B's 28)`);
    }
    const tokenizer = TextTokenizer.fromDir(o.dir);
    const imageOptions = existsSync(join(o.dir, PREPROCESSOR_CONFIG_FILE)) ? loadImageProcessorConfig(o.dir) : {};
    const c = loaded.config;
    const rope = ropeOptions(c);
    const padId = tokenizer.tokenToId("<|endoftext|>") ?? 0;
    return new FrozenBackbone(core, loaded.handle, c, tokenizer, imageOptions, rope, padId, o.batchSize ?? 8, o.layer, o.normHidden ?? true, o.dir);
  }

  /** Token ids and image patches of one observation's prompt. */
  private async encode(x: VlInput): Promise<{ ids: Int32Array; pixels: Float32Array; grids: [number, number, number][] }> {
    if (x.images.length && !this.rope) throw new Error(`${this.identity.dir} is a text-only model; the VLA needs a Qwen2.5-VL backbone that sees the camera images`);
    const pre = x.images.length ? preprocessImages(x.images, this.imageOptions) : null;
    const grids = pre?.gridThw ?? [];
    const messages = [{ role: "user", content: [...x.images.map(() => ({ type: "image" as const })), { type: "text" as const, text: x.instruction }] }];
    const enc = await encodeConversation(this.tokenizer, messages, { imageGridThw: grids, spatialMergeSize: this.rope?.spatialMergeSize, addGenerationPrompt: true });
    return { ids: enc.inputIds, pixels: pre?.pixelValues ?? new Float32Array(0), grids };
  }

  /** Layer-L features of each observation, in order (batched forward passes, no gradients). */
  async extract(inputs: readonly VlInput[]): Promise<VlFeatures[]> {
    const out: VlFeatures[] = [];
    for (let s = 0; s < inputs.length; s += this.batchSize) {
      const rows = await Promise.all(inputs.slice(s, s + this.batchSize).map((x) => this.encode(x)));
      const B = rows.length;
      const T = Math.max(...rows.map((r) => r.ids.length));
      const padded = rows.map((r) => {
        const ids = new Int32Array(T).fill(this.padId);
        ids.set(r.ids);
        return ids;
      });
      const masks = rows.map((r) => new Uint8Array(T).fill(1, 0, r.ids.length));
      const inputIds = new Int32Array(B * T);
      const attentionMask = new Uint8Array(B * T);
      padded.forEach((ids, b) => inputIds.set(ids, b * T));
      masks.forEach((m, b) => attentionMask.set(m, b * T));
      // Text models take the default positions (the running count of real tokens).
      const batch: TokenBatch = { inputIds, attentionMask, batch: B, seqLen: T };
      if (this.rope) batch.positionIds = ropeIndexBatch(padded, rows.flatMap((r) => r.grids), this.rope, masks).positionIds;
      const pixels = rows.filter((r) => r.pixels.length).map((r) => r.pixels);
      if (pixels.length) {
        batch.pixelValues = concatFloat32(pixels);
        batch.imageGridThw = Int32Array.from(rows.flatMap((r) => r.grids.flat()));
      }
      const res = await this.core.forward(this.handle, batch, { hiddenLayers: [this.identity.layer], logits: "none", normHidden: this.identity.normHidden });
      const h = res.hiddenStates[0];
      const D = this.dim;
      rows.forEach((r, b) => {
        const n = r.ids.length;
        out.push({ data: h.slice(b * T * D, (b * T + n) * D), tokens: n });
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.core.dispose(this.handle);
  }
}

/** Mean over tokens: one vector per observation (the representation probe's input). */
export function meanPool(f: VlFeatures, dim: number): Float32Array {
  const v = new Float32Array(dim);
  for (let t = 0; t < f.tokens; t++) for (let k = 0; k < dim; k++) v[k] += f.data[t * dim + k];
  for (let k = 0; k < dim; k++) v[k] /= Math.max(1, f.tokens);
  return v;
}
