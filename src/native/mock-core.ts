// A pure-TypeScript NativeCore for unit tests: a real (tiny) bigram language model — logits of
// the next token depend on the current token only — with the same argument checks, error codes,
// shapes and lifecycle as the addon. test/contract runs one suite on both, so it cannot drift.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { canonicalKey, textModelParams } from "../model/text-weights.js";
import { RlInputError } from "../rl/errors.js";
import { policyLoss } from "../rl/policy-loss.js";
import { visionModelParams } from "../model/vision-weights.js";
import { gaussian, rng } from "../util/random.js";
import type {
  ActionHeadBatch,
  ActionHeadConfig,
  ActionHeadHandle,
  ActionHeadInfo,
  ActionHeadNoise,
  ActionHeadPresetName,
  DType,
  EncodeImagesResult,
  ForwardResult,
  ImageInputs,
  GenerateResult,
  ModelHandle,
  ModelInfo,
  NativeCore,
  NativeErrorCode,
  OptimizerStateInfo,
  PolicyBatch,
  PolicyLossCheckOptions,
  PolicyLossCheckResult,
  PolicyLossInputs,
  PolicyLossOptions,
  PolicyStepResult,
  TextModelConfig,
  TokenBatch,
  TrainBatch,
  VisionSpec,
} from "./contract.js";

class MockError extends Error {
  constructor(
    readonly op: string,
    readonly code: NativeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface MockModel {
  config: TextModelConfig;
  vision?: VisionSpec;
  dtype: DType;
  device: string;
  /** Bigram logits [V, V]: row = current token. */
  w: Float64Array;
  /** Token embeddings [V, H], the "hidden states". */
  emb: Float64Array;
  adam?: { m: Float64Array; v: Float64Array; t: number; lr: number; b1: number; b2: number; eps: number; wd: number; clip: number };
  busy: Promise<unknown>;
}

function logSoftmax(row: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (const x of row) max = Math.max(max, x / temperature);
  let sum = 0;
  for (const x of row) sum += Math.exp(x / temperature - max);
  const lse = max + Math.log(sum);
  return row.map((x) => x / temperature - lse);
}

function validateConfig(op: string, c: TextModelConfig): void {
  const ints: (keyof TextModelConfig)[] = ["vocabSize", "hiddenSize", "intermediateSize", "numHiddenLayers", "numAttentionHeads", "numKeyValueHeads", "headDim"];
  for (const k of ints) {
    if (!(Number.isInteger(c[k]) && (c[k] as number) > 0)) throw new MockError(op, "E_CONFIG", `config field ${k} must be positive, got ${c[k]}`);
  }
  if (c.numAttentionHeads % c.numKeyValueHeads !== 0) {
    throw new MockError(op, "E_CONFIG", `num_attention_heads (${c.numAttentionHeads}) must be a multiple of num_key_value_heads (${c.numKeyValueHeads})`);
  }
  if (c.mropeSection && c.mropeSection.reduce((a, b) => a + b, 0) !== c.headDim / 2) {
    throw new MockError(op, "E_CONFIG", `mrope_section must sum to head_dim/2 = ${c.headDim / 2}`);
  }
}

const MOCK_STATE_FORMAT = "roboalign.mock-adamw/1";

/** The mock's only trainable tensor: the bigram logits, under the name its gradients use. */
const MOCK_PARAM = "lm_head.weight";

/** src/rl/policy-loss.ts on the mock's inputs; its input errors become E_INVALID_ARGUMENT. */
function mockPolicyLoss(op: string, inputs: PolicyLossInputs & { tokenNormalizer?: number }, o: Omit<PolicyLossOptions, "temperature">): PolicyLossCheckResult {
  try {
    const { clipRatioLow, clipRatioHigh, clipRatioDual, klCoef, klPenalty, useKlLoss, lossAvgMode } = o;
    return policyLoss(inputs, { clipRatioLow, clipRatioHigh, clipRatioDual, klCoef, klPenalty, useKlLoss, lossAvgMode });
  } catch (e) {
    if (e instanceof RlInputError) throw new MockError(op, "E_INVALID_ARGUMENT", e.message);
    throw e;
  }
}

/** The native action-head presets (native/src/model/gr00t/config.cpp), for the mock. */
const MOCK_HEAD_PRESETS: Record<ActionHeadPresetName, ActionHeadConfig> = {
  "gr00t-n1.5": {
    actionDim: 32, actionHorizon: 16, maxStateDim: 64, inputEmbeddingDim: 1536, hiddenSize: 1024, backboneEmbeddingDim: 2048, backboneFeatureDim: 2048,
    ditNumLayers: 16, ditNumHeads: 32, ditHeadDim: 48, vlNumLayers: 4, vlNumHeads: 32, vlHeadDim: 64, dropout: 0.2, numTargetVisionTokens: 32,
    maxSeqLen: 1024, maxNumEmbodiments: 32, noiseBetaAlpha: 1.5, noiseBetaBeta: 1, noiseS: 0.999, numTimestepBuckets: 1000, numInferenceTimesteps: 4, useVlMask: false,
  },
  tiny: {
    actionDim: 8, actionHorizon: 4, maxStateDim: 6, inputEmbeddingDim: 32, hiddenSize: 24, backboneEmbeddingDim: 40, backboneFeatureDim: 40,
    ditNumLayers: 4, ditNumHeads: 2, ditHeadDim: 16, vlNumLayers: 2, vlNumHeads: 2, vlHeadDim: 20, dropout: 0.2, numTargetVisionTokens: 3,
    maxSeqLen: 8, maxNumEmbodiments: 2, noiseBetaAlpha: 1.5, noiseBetaBeta: 1, noiseS: 0.999, numTimestepBuckets: 1000, numInferenceTimesteps: 4, useVlMask: false,
  },
};

/**
 * The mock's action head: a linear velocity field v[k] = W·φ_k + b over
 * φ_k = [mean of the (masked) VL features, padded state, x_t[k], t_disc/buckets, k/T], trained by
 * the same masked flow-matching loss, AdamW and Euler sampler as the native head.
 */
interface MockHead {
  config: ActionHeadConfig;
  dtype: DType;
  device: string;
  /** [actionDim, P] and [actionDim]. */
  w: Float64Array;
  b: Float64Array;
  adam?: { m: Float64Array; v: Float64Array; t: number; b1: number; b2: number; eps: number; wd: number; clip: number; frozen: boolean[] };
  busy: Promise<unknown>;
}

const HEAD_W = "action_head.mock_velocity.weight";
const HEAD_B = "action_head.mock_velocity.bias";

const headWidth = (c: ActionHeadConfig) => c.backboneFeatureDim + c.maxStateDim + c.actionDim + 2;

function validateHeadConfig(op: string, c: ActionHeadConfig): void {
  if (c.ditNumHeads * c.ditHeadDim !== c.inputEmbeddingDim) {
    throw new MockError(op, "E_CONFIG", `dit_num_heads · dit_head_dim (${c.ditNumHeads * c.ditHeadDim}) must equal input_embedding_dim (${c.inputEmbeddingDim})`);
  }
  if (c.vlNumHeads * c.vlHeadDim !== c.backboneEmbeddingDim) {
    throw new MockError(op, "E_CONFIG", `vl_num_heads · vl_head_dim (${c.vlNumHeads * c.vlHeadDim}) must equal backbone_embedding_dim (${c.backboneEmbeddingDim})`);
  }
  if (c.maxSeqLen < c.actionHorizon) throw new MockError(op, "E_CONFIG", `max_seq_len (${c.maxSeqLen}) must cover action_horizon (${c.actionHorizon})`);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new MockError(op, "E_CONFIG", `dropout must lie in [0, 1), got ${c.dropout}`);
  if (!(c.noiseBetaAlpha > 0 && c.noiseBetaBeta > 0)) throw new MockError(op, "E_CONFIG", "noise_beta_alpha and noise_beta_beta must be positive");
  if (!(c.noiseS > 0 && c.noiseS <= 1)) throw new MockError(op, "E_CONFIG", `noise_s must lie in (0, 1], got ${c.noiseS}`);
}

/** Marsaglia–Tsang Gamma(a, 1). */
function gammaSample(a: number, r: () => number): number {
  if (a < 1) return gammaSample(a + 1, r) * Math.pow(r(), 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = gaussian(r);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** The batch as the mock uses it: per-row pooled features and padded state, padded actions and mask. */
interface MockHeadInputs {
  B: number;
  pooled: Float64Array[];
  state: Float64Array[];
  actions?: Float64Array; // [B, T, A]
  mask?: Float64Array; // [B, T, A]
}

function mockHeadInputs(op: string, c: ActionHeadConfig, b: ActionHeadBatch, needActions: boolean): MockHeadInputs {
  const { batch: B, vlLen: L } = b;
  const F = b.features.length / (B * L);
  if (F !== c.backboneFeatureDim) {
    throw new MockError(op, "E_SHAPE", `features are ${F} wide but the action head expects backbone_feature_dim = ${c.backboneFeatureDim}. Fix: set backboneFeatureDim to the backbone's hidden size.`);
  }
  const S = b.state.length / B;
  if (S > c.maxStateDim) throw new MockError(op, "E_SHAPE", `state is ${S} wide but max_state_dim is ${c.maxStateDim}`);
  const ids = typeof b.embodimentId === "number" ? [b.embodimentId] : Array.from(b.embodimentId);
  for (const e of ids) if (e >= c.maxNumEmbodiments) throw new MockError(op, "E_INVALID_ARGUMENT", `embodiment id ${e} is outside [0, ${c.maxNumEmbodiments}) (max_num_embodiments)`);
  const useMask = c.useVlMask && b.attentionMask !== undefined;
  const pooled: Float64Array[] = [];
  const state: Float64Array[] = [];
  for (let r = 0; r < B; r++) {
    const p = new Float64Array(F);
    let n = 0;
    for (let l = 0; l < L; l++) {
      if (useMask && !b.attentionMask![r * L + l]) continue;
      n++;
      for (let f = 0; f < F; f++) p[f] += b.features[(r * L + l) * F + f];
    }
    if (n === 0) throw new MockError(op, "E_INVALID_ARGUMENT", "attentionMask has a row without any real token");
    pooled.push(p.map((x) => x / n));
    const s = new Float64Array(c.maxStateDim);
    for (let i = 0; i < S; i++) s[i] = b.state[r * S + i];
    state.push(s);
  }
  const out: MockHeadInputs = { B, pooled, state };
  if (!needActions) return out;
  if (!b.actions) throw new MockError(op, "E_INVALID_ARGUMENT", "this operation needs the action chunk (actions)");
  const T = c.actionHorizon;
  const A = c.actionDim;
  const Ain = b.actions.length / (B * T);
  if (!Number.isInteger(Ain) || Ain < 1) throw new MockError(op, "E_SHAPE", `actions have ${b.actions.length} values, which is not a positive multiple of ${B * T} (layout [batch, actionHorizon, actionDim])`);
  if (Ain > A) throw new MockError(op, "E_SHAPE", `actions are ${Ain} wide but the head's action_dim is ${A}`);
  out.actions = new Float64Array(B * T * A);
  out.mask = new Float64Array(B * T * A);
  for (let i = 0; i < B * T; i++) {
    for (let j = 0; j < Ain; j++) {
      out.actions[i * A + j] = b.actions[i * Ain + j];
      out.mask[i * A + j] = b.actionMask ? b.actionMask[i * Ain + j] : 1;
    }
  }
  if (!out.mask.some((x) => x > 0)) throw new MockError(op, "E_INVALID_ARGUMENT", "actionMask is all zero: nothing to learn from");
  return out;
}

/** t ~ (s − Beta(α, β))/s per row and noise ~ N(0, I) [B, T, A], from `seed`. */
function mockDraw(c: ActionHeadConfig, B: number, seed: number): { t: Float32Array; noise: Float32Array } {
  const r = rng(seed);
  const t = new Float32Array(B);
  for (let i = 0; i < B; i++) {
    const x = gammaSample(c.noiseBetaAlpha, r);
    const u = x / (x + gammaSample(c.noiseBetaBeta, r));
    t[i] = (c.noiseS - u) / c.noiseS;
  }
  const noise = new Float32Array(B * c.actionHorizon * c.actionDim).map(() => gaussian(r));
  return { t, noise };
}

/** φ of row r, action token k at x_t (the [T, A] slice `x`) and discretised time. */
function mockFeatures(c: ActionHeadConfig, inp: MockHeadInputs, r: number, k: number, x: ArrayLike<number>, tDisc: number): Float64Array {
  const phi = new Float64Array(headWidth(c));
  phi.set(inp.pooled[r], 0);
  phi.set(inp.state[r], c.backboneFeatureDim);
  for (let a = 0; a < c.actionDim; a++) phi[c.backboneFeatureDim + c.maxStateDim + a] = x[k * c.actionDim + a];
  phi[phi.length - 2] = tDisc / c.numTimestepBuckets;
  phi[phi.length - 1] = k / c.actionHorizon;
  return phi;
}

/** Velocity [B, T, A] of the linear field, with the φ used (for gradients). */
function mockVelocity(h: MockHead, inp: MockHeadInputs, x: Float64Array, tDisc: number[]): { v: Float64Array; phis: Float64Array[] } {
  const { actionHorizon: T, actionDim: A } = h.config;
  const P = headWidth(h.config);
  const v = new Float64Array(inp.B * T * A);
  const phis: Float64Array[] = [];
  for (let r = 0; r < inp.B; r++) {
    for (let k = 0; k < T; k++) {
      const phi = mockFeatures(h.config, inp, r, k, x.subarray(r * T * A, (r + 1) * T * A), tDisc[r]);
      phis.push(phi);
      for (let a = 0; a < A; a++) {
        let s = h.b[a];
        for (let j = 0; j < P; j++) s += h.w[a * P + j] * phi[j];
        v[(r * T + k) * A + a] = s;
      }
    }
  }
  return { v, phis };
}

/** The masked flow-matching loss of the mock at t/noise, with dL/dW and dL/db. */
function mockFlowLoss(op: string, h: MockHead, inp: MockHeadInputs, t: Float32Array, noise: Float32Array) {
  const c = h.config;
  const { actionHorizon: T, actionDim: A } = c;
  if (t.length !== inp.B) throw new MockError(op, "E_SHAPE", `t has ${t.length} values but the batch has ${inp.B} rows`);
  if (noise.length !== inp.B * T * A) {
    throw new MockError(op, "E_SHAPE", `noise has ${noise.length} values but [batch, actionHorizon, actionDim] = ${inp.B * T * A} (actionDim is the padded width of the head)`);
  }
  const x = new Float64Array(inp.B * T * A);
  const target = new Float64Array(inp.B * T * A);
  for (let i = 0; i < x.length; i++) {
    const tt = t[Math.floor(i / (T * A))];
    x[i] = (1 - tt) * noise[i] + tt * inp.actions![i];
    target[i] = inp.actions![i] - noise[i];
  }
  const tDisc = Array.from(t, (tt) => Math.trunc(Math.fround(tt * c.numTimestepBuckets)));
  const { v, phis } = mockVelocity(h, inp, x, tDisc);
  const P = headWidth(c);
  const msum = inp.mask!.reduce((s, m) => s + m, 0);
  let loss = 0;
  const gw = new Float64Array(h.w.length);
  const gb = new Float64Array(h.b.length);
  for (let i = 0; i < v.length; i++) {
    const m = inp.mask![i];
    if (!m) continue;
    const e = v[i] - target[i];
    loss += (m * e * e) / msum;
    const d = (2 * m * e) / msum;
    const a = i % A;
    const phi = phis[Math.floor(i / A)];
    gb[a] += d;
    for (let j = 0; j < P; j++) gw[a * P + j] += d * phi[j];
  }
  return { loss, v, gw, gb };
}

/** Bytes of a float tensor in a safetensors dtype (F32, or BF16 by truncation). */
function mockTensorBytes(values: Float64Array, dtype: DType): Buffer {
  const f = Float32Array.from(values);
  if (dtype === "float32") return Buffer.from(f.buffer);
  const bits = new Uint32Array(f.buffer);
  return Buffer.from(Uint16Array.from(bits, (x) => x >>> 16).buffer);
}

export function createMockCore(): NativeCore {
  const models = new Map<number, MockModel>();
  const disposed = new Set<number>();
  let next = 1;

  const get = (op: string, h: ModelHandle): MockModel => {
    const m = models.get(h);
    if (m) return m;
    if (disposed.has(h)) throw new MockError(op, "E_DISPOSED", `model ${h} is disposed. Fix: load it again; a disposed model cannot be used.`);
    throw new MockError(op, "E_INVALID_ARGUMENT", `unknown model handle ${h}`);
  };

  // Jobs of one model or head run one after another, asynchronously, like the native executor.
  const serial = <M extends { busy: Promise<unknown> }, T>(target: () => M, fn: (m: M) => T): Promise<T> => {
    let m: M;
    try {
      m = target();
    } catch (e) {
      return Promise.reject(e);
    }
    const run = m.busy.then(async () => {
      await new Promise((r) => setImmediate(r));
      return fn(m);
    });
    m.busy = run.catch(() => undefined);
    return run;
  };
  const job = <T>(op: string, h: ModelHandle, fn: (m: MockModel) => T): Promise<T> => serial(() => get(op, h), fn);

  const heads = new Map<number, MockHead>();
  const disposedHeads = new Set<number>();

  const getHead = (op: string, h: ActionHeadHandle): MockHead => {
    const m = heads.get(h);
    if (m) return m;
    if (disposedHeads.has(h)) throw new MockError(op, "E_DISPOSED", `action head ${h} is disposed. Fix: load it again; a disposed head cannot be used.`);
    throw new MockError(op, "E_INVALID_ARGUMENT", `unknown action head handle ${h}`);
  };

  const headJob = <T>(op: string, h: ActionHeadHandle, fn: (m: MockHead) => T): Promise<T> => serial(() => getHead(op, h), fn);

  const addHead = (config: ActionHeadConfig, dtype: DType, device: string, w: Float64Array, b: Float64Array): ActionHeadHandle => {
    const h = next++ as ActionHeadHandle;
    heads.set(h, { config: { ...config }, dtype, device, w, b, busy: Promise.resolve() });
    return h;
  };

  const headInfo = (m: MockHead): ActionHeadInfo => ({
    config: { ...m.config },
    numParameters: m.w.length + m.b.length,
    numTrainable: (m.adam?.frozen[0] ? 0 : m.w.length) + (m.adam?.frozen[1] ? 0 : m.b.length),
    dtype: m.dtype,
    device: m.device,
  });

  const noiseOf = (op: string, m: MockHead, B: number, o: ActionHeadNoise) => {
    if (o.t !== undefined || o.noise !== undefined) {
      if (!o.t || !o.noise) throw new MockError(op, "E_INVALID_ARGUMENT", "give either t and noise, or a seed to draw them from");
      return { t: o.t, noise: o.noise };
    }
    if (o.seed === undefined) throw new MockError(op, "E_INVALID_ARGUMENT", "give either t and noise, or a seed to draw them from");
    return mockDraw(m.config, B, o.seed);
  };

  /** AdamW on (W, b): decay on W only (b is a bias), clip, skip on non-finite values. */
  const headAdam = (m: MockHead, gw: Float64Array, gb: Float64Array, lr: number, loss: number): { gradNorm: number; applied: boolean } => {
    const a = m.adam!;
    const grads = [a.frozen[0] ? new Float64Array(gw.length) : gw, a.frozen[1] ? new Float64Array(gb.length) : gb];
    const norm = Math.sqrt(grads.reduce((s, g) => s + g.reduce((t, x) => t + x * x, 0), 0));
    if (!Number.isFinite(loss) || !Number.isFinite(norm)) return { gradNorm: norm, applied: false };
    const scale = a.clip > 0 && norm > a.clip ? a.clip / (norm + 1e-6) : 1;
    a.t++;
    const params = [m.w, m.b];
    let offset = 0;
    params.forEach((p, k) => {
      if (!a.frozen[k]) {
        for (let i = 0; i < p.length; i++) {
          const g = grads[k][i] * scale;
          const j = offset + i;
          a.m[j] = a.b1 * a.m[j] + (1 - a.b1) * g;
          a.v[j] = a.b2 * a.v[j] + (1 - a.b2) * g * g;
          const mh = a.m[j] / (1 - a.b1 ** a.t);
          const vh = a.v[j] / (1 - a.b2 ** a.t);
          // Kept at float32 precision, as the native head stores them, so saving loses nothing.
          p[i] = Math.fround(p[i] * (1 - lr * (k === 0 ? a.wd : 0)) - (lr * mh) / (Math.sqrt(vh) + a.eps));
        }
      }
      offset += p.length;
    });
    return { gradNorm: norm, applied: true };
  };

  const create = (config: TextModelConfig, dtype: DType, device: string, seed: number, vision?: VisionSpec): ModelHandle => {
    if (vision && vision.config.outHiddenSize !== config.hiddenSize) {
      throw new MockError("initModel", "E_CONFIG", `vision_config.out_hidden_size (${vision.config.outHiddenSize}) must equal the language model's hidden_size (${config.hiddenSize})`);
    }
    const V = config.vocabSize;
    const H = config.hiddenSize;
    const r = rng(seed);
    const w = new Float64Array(V * V).map(() => config.initializerRange * gaussian(r));
    const emb = new Float64Array(V * H).map(() => gaussian(r));
    const h = next++ as ModelHandle;
    models.set(h, { config: { ...config }, vision, dtype, device, w, emb, busy: Promise.resolve() });
    return h;
  };

  const checkDevice = (op: string, device: string) => {
    if (device !== "cpu") throw new MockError(op, "E_DEVICE", `device ${device} was requested but the mock core only has cpu`);
  };

  const checkIds = (op: string, m: MockModel, b: TokenBatch) => {
    const V = m.config.vocabSize;
    b.inputIds.forEach((id, i) => {
      const real = !b.attentionMask || b.attentionMask[i] === 1;
      if (real && (id < 0 || id >= V)) {
        throw new MockError(op, "E_TOKEN_RANGE", `token id ${id} at batch row ${Math.floor(i / b.seqLen)}, position ${i % b.seqLen} is outside the vocabulary [0, ${V})`);
      }
    });
  };

  // Image tokens of the batch must match the images, as the native merge requires.
  const checkImages = (op: string, m: MockModel, ids: ArrayLike<number>, real: (i: number) => boolean, images: Partial<ImageInputs>) => {
    const grids = images.imageGridThw;
    if (!m.vision) {
      if (grids?.length) throw new MockError(op, "E_INVALID_ARGUMENT", "this model has no vision tower: it cannot take images");
      return;
    }
    const unit = m.vision.config.spatialMergeSize ** 2;
    let need = 0;
    for (let i = 0; i + 2 < (grids?.length ?? 0); i += 3) need += (grids![i] * grids![i + 1] * grids![i + 2]) / unit;
    let have = 0;
    for (let i = 0; i < ids.length; i++) if (real(i) && ids[i] === m.vision.imageTokenId) have++;
    if (need !== have) {
      throw new MockError(op, "E_SHAPE", `the images need ${need} image tokens but the batch holds ${have}. Fix: expand each <|image_pad|> to grid_h·grid_w/4 copies, in image order.`);
    }
  };

  const row = (m: MockModel, tok: number) => m.w.subarray(tok * m.config.vocabSize, (tok + 1) * m.config.vocabSize);
  const realAt = (b: TokenBatch, i: number) => !b.attentionMask || b.attentionMask[i] === 1;

  const info = (m: MockModel): ModelInfo => ({
    numParameters: m.w.length + m.emb.length,
    numTrainable: m.w.length + m.emb.length,
    vocabSize: m.config.vocabSize,
    dtype: m.dtype,
    device: m.device,
    tiedEmbeddings: m.config.tieWordEmbeddings,
  });

  /** CE over the micro-batches; returns loss, token count and dL/dW. */
  const lossAndGrad = (op: string, m: MockModel, batches: TrainBatch[]) => {
    const V = m.config.vocabSize;
    let total = 0;
    for (const b of batches) {
      checkIds(op, m, b);
      checkImages(op, m, b.inputIds, (i) => realAt(b, i), b);
      for (let r = 0; r < b.batch; r++) for (let t = 1; t < b.seqLen; t++) if (b.labels[r * b.seqLen + t] !== -100) total++;
    }
    if (total === 0) throw new MockError(op, "E_INVALID_ARGUMENT", "no label in this step is different from -100: nothing to learn from");
    const grad = new Float64Array(V * V);
    let loss = 0;
    for (const b of batches) {
      for (let r = 0; r < b.batch; r++) {
        for (let t = 1; t < b.seqLen; t++) {
          const y = b.labels[r * b.seqLen + t];
          if (y === -100) continue;
          const prev = b.inputIds[r * b.seqLen + t - 1];
          const lp = logSoftmax(row(m, prev), 1);
          loss -= lp[y];
          for (let v = 0; v < V; v++) grad[prev * V + v] += (Math.exp(lp[v]) - (v === y ? 1 : 0)) / total;
        }
      }
    }
    return { loss: loss / total, tokens: total, grad };
  };

  /** Clip (optimizer config) and one AdamW step, skipped when the loss or the norm is not finite. */
  const adamStep = (m: MockModel, grad: Float64Array, lr: number, loss: number): { gradNorm: number; applied: boolean } => {
    const norm = Math.sqrt(grad.reduce((s, g) => s + g * g, 0));
    if (!Number.isFinite(loss) || !Number.isFinite(norm)) return { gradNorm: norm, applied: false };
    const a = m.adam!;
    const scale = a.clip > 0 && norm > a.clip ? a.clip / (norm + 1e-6) : 1;
    a.t++;
    for (let i = 0; i < grad.length; i++) {
      const g = grad[i] * scale;
      a.m[i] = a.b1 * a.m[i] + (1 - a.b1) * g;
      a.v[i] = a.b2 * a.v[i] + (1 - a.b2) * g * g;
      const mh = a.m[i] / (1 - a.b1 ** a.t);
      const vh = a.v[i] / (1 - a.b2 ** a.t);
      m.w[i] = m.w[i] * (1 - lr * a.wd) - (lr * mh) / (Math.sqrt(vh) + a.eps);
    }
    return { gradNorm: norm, applied: true };
  };

  const requireAdam = (op: string, m: MockModel) => {
    if (!m.adam) throw new MockError(op, "E_INVALID_ARGUMENT", "the optimizer is not configured. Fix: call configureOptimizer first.");
  };

  /** GRPO step of the bigram model: per-token d loss / d log π from src/rl, through d log p / d logits = onehot − softmax. */
  const policyStepOf = (op: string, m: MockModel, batches: PolicyBatch[], lr: number, o: PolicyLossOptions): PolicyStepResult => {
    requireAdam(op, m);
    const V = m.config.vocabSize;
    let total = 0;
    batches.forEach((b, k) => {
      checkIds(op, m, b);
      checkImages(op, m, b.inputIds, (i) => realAt(b, i), b);
      for (let i = 0; i < b.batch * b.seqLen; i++) {
        if (!b.responseMask[i]) continue;
        const [r, t] = [Math.floor(i / b.seqLen), i % b.seqLen];
        if (t === 0) throw new MockError(op, "E_INVALID_ARGUMENT", `microBatches[${k}].responseMask is 1 at position 0 of row ${r}: the first token has no log-prob. Fix: align the mask with the logprobs output (mask[t] marks ids[t]).`);
        if (!realAt(b, i)) throw new MockError(op, "E_INVALID_ARGUMENT", `microBatches[${k}].responseMask is 1 at padding (row ${r}, position ${t}). Fix: response tokens must be real tokens of attentionMask.`);
        total++;
      }
    });
    if (total === 0) throw new MockError(op, "E_INVALID_ARGUMENT", "no response token in this step (every responseMask is 0): nothing to learn from");
    const grad = new Float64Array(V * V);
    const out: PolicyStepResult = { loss: 0, pgLoss: 0, klLoss: 0, ppoKl: 0, entropyLoss: 0, clipfracHigher: 0, clipfracLower: 0, gradNorm: 0, tokens: total, applied: false };
    for (const b of batches) {
      const n = b.batch * b.seqLen;
      const lps: (Float64Array | null)[] = new Array(n).fill(null);
      const logprobs = new Float64Array(n);
      let tokens = 0;
      for (let i = 0; i < n; i++) {
        if (!b.responseMask[i]) continue;
        lps[i] = logSoftmax(row(m, b.inputIds[i - 1]), o.temperature);
        logprobs[i] = lps[i]![b.inputIds[i]];
        tokens++;
      }
      if (tokens === 0) continue;
      const r = mockPolicyLoss(op, { batch: b.batch, seqLen: b.seqLen, logprobs, oldLogprobs: b.oldLogprobs, refLogprobs: o.useKlLoss ? b.refLogprobs : undefined, advantages: b.advantages, mask: b.responseMask, tokenNormalizer: total }, o);
      out.loss += r.loss;
      const share = tokens / total;
      for (const k of ["pgLoss", "klLoss", "ppoKl", "entropyLoss", "clipfracHigher", "clipfracLower"] as const) out[k] += share * r[k];
      for (let i = 0; i < n; i++) {
        const lp = lps[i];
        if (!lp) continue;
        const prev = b.inputIds[i - 1];
        const y = b.inputIds[i];
        // logits enter as logits / temperature: d log p / d logits = (onehot − softmax) / temperature.
        for (let v = 0; v < V; v++) grad[prev * V + v] += (r.gradLogprobs[i] * ((v === y ? 1 : 0) - Math.exp(lp[v]))) / o.temperature;
      }
    }
    Object.assign(out, adamStep(m, grad, lr, out.loss));
    return out;
  };

  return {
    runtimeInfo: () => ({
      addonVersion: "mock",
      libtorchVersion: "mock",
      compiledWithCuda: false,
      cudaAvailable: false,
      cudaVersion: null,
      cudnnVersion: null,
      devices: [{ name: "cpu", type: "cpu", totalMemory: null }],
      intraOpThreads: 1,
      interOpThreads: 1,
      kernels: { attention: "mock" },
    }),

    async matmulBenchmark(device, size, seconds) {
      checkDevice("matmulBenchmark", device);
      const start = performance.now();
      let iterations = 0;
      while ((performance.now() - start) / 1000 < seconds) {
        await new Promise((r) => setImmediate(r));
        iterations++;
      }
      const s = (performance.now() - start) / 1000;
      return { iterations, seconds: s, gflops: (2 * size ** 3 * iterations) / s / 1e9 };
    },

    async loadModel(o) {
      validateConfig("loadModel", o.config);
      checkDevice("loadModel", o.device);
      const params = [...textModelParams(o.config), ...(o.vision ? visionModelParams(o.vision.config) : [])];
      const expected = new Map(params.map((p) => [p.name, p.shape]));
      const seen = new Set<string>();
      const unexpected: string[] = [];
      for (const w of o.weights) {
        const key = canonicalKey(w.name);
        if (o.config.tieWordEmbeddings && key === "lm_head.weight") continue;
        const shape = expected.get(key);
        if (!shape) {
          unexpected.push(w.name);
          continue;
        }
        if (shape.join(",") !== w.shape.join(",")) {
          throw new MockError("loadModel", "E_SHAPE", `weight ${w.name} has shape [${w.shape.join(", ")}] in ${w.file} but the model expects [${shape.join(", ")}]`);
        }
        if (!existsSync(w.file)) throw new MockError("loadModel", "E_FILE_NOT_FOUND", `weights file not found: ${w.file}`);
        if (statSync(w.file).size < w.end) throw new MockError("loadModel", "E_CHECKPOINT", `weight ${w.name} lies beyond the end of ${w.file}: the file is truncated`);
        seen.add(key);
      }
      const missing = [...expected.keys()].filter((k) => !seen.has(k));
      if (missing.length || unexpected.length) {
        throw new MockError("loadModel", "E_CHECKPOINT", `checkpoint does not match the model. Missing keys: ${missing.slice(0, 8).join(", ")}. Unexpected keys: ${unexpected.slice(0, 8).join(", ")}.`);
      }
      await new Promise((r) => setImmediate(r));
      return create(o.config, o.dtype, o.device, o.weights.length, o.vision);
    },

    async initModel(o) {
      validateConfig("initModel", o.config);
      checkDevice("initModel", o.device);
      await new Promise((r) => setImmediate(r));
      return create(o.config, o.dtype, o.device, o.seed, o.vision);
    },

    modelInfo: (h) => info(get("modelInfo", h)),

    resizeTokenEmbeddings: (h, n, seed) =>
      job("resizeTokenEmbeddings", h, (m) => {
        if (!(Number.isInteger(n) && n > 0)) throw new MockError("resizeTokenEmbeddings", "E_INVALID_ARGUMENT", "new vocabulary size must be positive");
        const V = m.config.vocabSize;
        const H = m.config.hiddenSize;
        const w = new Float64Array(n * n);
        const emb = new Float64Array(n * H);
        const r = rng(seed);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) w[i * n + j] = i < V && j < V ? m.w[i * V + j] : 1e-3 * gaussian(r);
          for (let k = 0; k < H; k++) emb[i * H + k] = i < V ? m.emb[i * H + k] : 0;
        }
        m.w = w;
        m.emb = emb;
        m.config.vocabSize = n;
        m.adam = undefined;
        return info(m);
      }),

    save: (h, o) =>
      job("save", h, (m) => {
        // A real safetensors file with every expected tensor name (zeros: the mock has no Qwen weights).
        mkdirSync(o.dir, { recursive: true });
        const params = textModelParams(m.config);
        const bytesPer = o.dtype === "float32" ? 4 : 2;
        const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
        let offset = 0;
        for (const p of params) {
          const n = p.shape.reduce((a, b) => a * b, 1) * bytesPer;
          header[p.name] = { dtype: o.dtype === "float32" ? "F32" : o.dtype === "bfloat16" ? "BF16" : "F16", shape: p.shape, data_offsets: [offset, offset + n] };
          offset += n;
        }
        let json = JSON.stringify(header);
        while ((8 + json.length) % 8) json += " ";
        const buf = Buffer.alloc(8 + json.length + offset);
        buf.writeBigUInt64LE(BigInt(json.length), 0);
        buf.write(json, 8, "utf8");
        const file = join(o.dir, "model.safetensors");
        writeFileSync(`${file}.tmp`, buf);
        renameSync(`${file}.tmp`, file);
        return { weightMap: Object.fromEntries(params.map((p) => [p.name, "model.safetensors"])), files: ["model.safetensors"], totalBytes: offset };
      }),

    dispose: (h) => {
      let m: MockModel;
      try {
        m = get("dispose", h);
      } catch (e) {
        return Promise.reject(e);
      }
      models.delete(h);
      disposed.add(h);
      return m.busy.then(() => undefined);
    },

    forward: (h, b, o) =>
      job("forward", h, (m): ForwardResult => {
        checkIds("forward", m, b);
        checkImages("forward", m, b.inputIds, (i) => realAt(b, i), b);
        const { vocabSize: V, hiddenSize: H, numHiddenLayers: L } = m.config;
        const layers = o.hiddenLayers ?? [];
        for (const l of layers) {
          if (!(Number.isInteger(l) && l >= 0 && l <= L)) throw new MockError("forward", "E_INVALID_ARGUMENT", `hidden layer index ${l} is out of range 0..${L}`);
        }
        const mode = o.logits ?? "all";
        let logits: Float32Array | null = null;
        let logitsShape: number[] = [];
        if (mode === "all") {
          logits = new Float32Array(b.batch * b.seqLen * V);
          for (let i = 0; i < b.batch * b.seqLen; i++) logits.set(row(m, realAt(b, i) ? b.inputIds[i] : 0), i * V);
          logitsShape = [b.batch, b.seqLen, V];
        } else if (mode === "last") {
          logits = new Float32Array(b.batch * V);
          for (let r = 0; r < b.batch; r++) {
            let last = 0;
            for (let t = 0; t < b.seqLen; t++) if (realAt(b, r * b.seqLen + t)) last = t;
            logits.set(row(m, b.inputIds[r * b.seqLen + last]), r * V);
          }
          logitsShape = [b.batch, V];
        } else if (mode !== "none") {
          throw new MockError("forward", "E_INVALID_ARGUMENT", `logits must be "all", "last" or "none", got "${mode}"`);
        }
        const hiddenStates = layers.map((l) => {
          const out = new Float32Array(b.batch * b.seqLen * H);
          for (let i = 0; i < b.batch * b.seqLen; i++) {
            const tok = realAt(b, i) ? b.inputIds[i] : 0;
            for (let k = 0; k < H; k++) out[i * H + k] = m.emb[tok * H + k] * (l + 1);
            // The mock's final norm: unit RMS per token (index L is "after the norm" as well).
            if (o.normHidden || l === L) {
              let ss = 0;
              for (let k = 0; k < H; k++) ss += out[i * H + k] ** 2;
              const inv = 1 / Math.sqrt(ss / H + m.config.rmsNormEps);
              for (let k = 0; k < H; k++) out[i * H + k] *= inv;
            }
          }
          return out;
        });
        return { logits, logitsShape, hiddenStates, hiddenShape: layers.length ? [b.batch, b.seqLen, H] : [] };
      }),

    logprobs: (h, b, o) =>
      job("logprobs", h, (m) => {
        checkIds("logprobs", m, b);
        checkImages("logprobs", m, b.inputIds, (i) => realAt(b, i), b);
        const T = o.temperature ?? 1;
        if (!(T > 0)) throw new MockError("logprobs", "E_INVALID_ARGUMENT", "temperature must be positive for log-probs");
        const out = new Float32Array(b.batch * b.seqLen);
        const ent = o.entropy ? new Float32Array(b.batch * b.seqLen) : null;
        for (let r = 0; r < b.batch; r++) {
          for (let t = 1; t < b.seqLen; t++) {
            const i = r * b.seqLen + t;
            if (!realAt(b, i)) continue;
            const lp = logSoftmax(row(m, b.inputIds[i - 1]), T);
            out[i] = lp[b.inputIds[i]];
            if (ent) ent[i] = -lp.reduce((s, x) => s + Math.exp(x) * x, 0);
          }
        }
        return { logprobs: out, entropy: ent };
      }),

    generate: (h, req) =>
      job("generate", h, (m): GenerateResult => {
        const V = m.config.vocabSize;
        const n = req.promptOffsets.length - 1;
        checkImages("generate", m, req.promptIds, () => true, req);
        const start = performance.now();
        const r = rng(req.seed);
        const ids: number[] = [];
        const lps: number[] = [];
        const offsets = [0];
        const reasons: ("stop" | "length")[] = [];
        const banned = new Set(req.bannedIds ?? []);
        if (banned.size >= V) throw new MockError("generate", "E_INVALID_ARGUMENT", "bannedIds cover the whole vocabulary: nothing can be sampled");
        for (let i = 0; i < n; i++) {
          const prompt = req.promptIds.subarray(req.promptOffsets[i], req.promptOffsets[i + 1]);
          if (prompt.length === 0) throw new MockError("generate", "E_SHAPE", `prompt ${i} is empty`);
          for (const id of prompt) if (id < 0 || id >= V) throw new MockError("generate", "E_TOKEN_RANGE", `token id ${id} in prompt ${i} is outside the vocabulary [0, ${V})`);
          const maxNew = typeof req.maxNewTokens === "number" ? req.maxNewTokens : req.maxNewTokens[i];
          const stops = new Set<number>(Array.isArray(req.stopIds?.[0]) ? (req.stopIds as number[][])[i] : ((req.stopIds as number[]) ?? []));
          let last = prompt[prompt.length - 1];
          let reason: "stop" | "length" = "length";
          for (let s = 0; s < maxNew; s++) {
            const T = req.temperature > 0 ? req.temperature : 1;
            const lp = logSoftmax(row(m, last), T);
            // Banned ids are never drawn; the others are sampled in proportion to their probability.
            let tok = -1;
            if (req.temperature <= 0) {
              for (let v = 0; v < V; v++) if (!banned.has(v) && (tok < 0 || lp[v] > lp[tok])) tok = v;
            } else {
              let mass = 0;
              for (let v = 0; v < V; v++) if (!banned.has(v)) mass += Math.exp(lp[v]);
              let u = r() * mass;
              for (let v = 0; v < V; v++) {
                if (banned.has(v)) continue;
                tok = v;
                u -= Math.exp(lp[v]);
                if (u <= 0) break;
              }
            }
            ids.push(tok);
            lps.push(lp[tok]);
            last = tok;
            if (stops.has(tok)) {
              reason = "stop";
              break;
            }
          }
          offsets.push(ids.length);
          reasons.push(reason);
        }
        return {
          ids: Int32Array.from(ids),
          offsets: Int32Array.from(offsets),
          logprobs: Float32Array.from(lps),
          finishReasons: reasons,
          info: { promptTokens: req.promptIds.length, generatedTokens: ids.length, seconds: (performance.now() - start) / 1000 },
        };
      }),

    encodeImages: (h, images, o) =>
      job("encodeImages", h, (m): EncodeImagesResult => {
        if (!m.vision) throw new MockError("encodeImages", "E_INVALID_ARGUMENT", "this model has no vision tower");
        const vc = m.vision.config;
        const patchDim = vc.inChannels * vc.temporalPatchSize * vc.patchSize ** 2;
        const g = images.imageGridThw;
        let patches = 0;
        for (let i = 0; i < g.length; i += 3) patches += g[i] * g[i + 1] * g[i + 2];
        if (images.pixelValues.length !== patches * patchDim) {
          throw new MockError("encodeImages", "E_SHAPE", `pixelValues hold ${images.pixelValues.length} values but the image grids need ${patches} patches × ${patchDim}`);
        }
        // Stand-in features: the mean of each merged unit's pixels, broadcast over the width.
        const unit = vc.spatialMergeSize ** 2;
        const tokens = patches / unit;
        const imageEmbeds = new Float32Array(tokens * vc.outHiddenSize);
        for (let t = 0; t < tokens; t++) {
          let mean = 0;
          for (let k = 0; k < unit * patchDim; k++) mean += images.pixelValues[t * unit * patchDim + k];
          imageEmbeds.fill(mean / (unit * patchDim), t * vc.outHiddenSize, (t + 1) * vc.outHiddenSize);
        }
        const blockOutputs = o.blocks ? Array.from({ length: vc.depth }, () => new Float32Array(patches * vc.hiddenSize)) : [];
        return { imageEmbeds, embedShape: [tokens, vc.outHiddenSize], patchEmbeds: new Float32Array(patches * vc.hiddenSize), blockOutputs };
      }),

    configureOptimizer: (h, o) =>
      job("configureOptimizer", h, (m) => {
        const size = m.w.length;
        m.adam = { m: new Float64Array(size), v: new Float64Array(size), t: 0, lr: o.lr, b1: o.betas[0], b2: o.betas[1], eps: o.eps, wd: o.weightDecay, clip: o.maxGradNorm };
        const frozen = o.freeze.some((p) => new RegExp(`^${p.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test("lm_head.weight"));
        if (frozen) throw new MockError("configureOptimizer", "E_INVALID_ARGUMENT", "every parameter is frozen: nothing to train (check the freeze patterns)");
        return { trainable: size, frozen: m.emb.length };
      }),

    sftStep: (h, o) =>
      job("sftStep", h, (m) => {
        requireAdam("sftStep", m);
        const { loss, tokens, grad } = lossAndGrad("sftStep", m, o.microBatches);
        return { loss, tokens, ...adamStep(m, grad, o.lr, loss) };
      }),

    gradients: (h, batches, names) =>
      job("gradients", h, (m) => {
        const { loss, tokens, grad } = lossAndGrad("gradients", m, batches);
        for (const n of names ?? []) if (n !== "lm_head.weight") throw new MockError("gradients", "E_INVALID_ARGUMENT", `unknown parameter name ${n}`);
        return { loss, tokens, grads: { [MOCK_PARAM]: Float32Array.from(grad) } };
      }),

    policyStep: (h, o) => job("policyStep", h, (m) => policyStepOf("policyStep", m, o.microBatches, o.lr, o.loss)),

    async policyLoss(inputs, o: PolicyLossCheckOptions) {
      await new Promise((r) => setImmediate(r));
      return mockPolicyLoss("policyLoss", { ...inputs, tokenNormalizer: o.tokenNormalizer }, o);
    },

    saveOptimizerState: (h, path) =>
      job("saveOptimizerState", h, (m): OptimizerStateInfo => {
        if (!m.adam) throw new MockError("saveOptimizerState", "E_INVALID_ARGUMENT", "the optimizer is not configured, so there is no state to save. Fix: call configureOptimizer first.");
        if (!existsSync(dirname(path))) throw new MockError("saveOptimizerState", "E_FILE_NOT_FOUND", `cannot write ${path}: the folder ${dirname(path)} does not exist. Fix: create it first.`);
        const V = m.config.vocabSize;
        const a = m.adam;
        const state = { format: MOCK_STATE_FORMAT, names: [MOCK_PARAM], shapes: [[V, V]], step: a.t, expAvg: Array.from(a.m), expAvgSq: Array.from(a.v) };
        writeFileSync(`${path}.tmp`, JSON.stringify(state));
        renameSync(`${path}.tmp`, path);
        return { parameters: 1, step: a.t };
      }),

    loadOptimizerState: (h, path) =>
      job("loadOptimizerState", h, (m): OptimizerStateInfo => {
        const op = "loadOptimizerState";
        if (!m.adam) throw new MockError(op, "E_INVALID_ARGUMENT", "the optimizer is not configured, so there is no state to load into. Fix: call configureOptimizer (with the options of the run being resumed) first.");
        if (!existsSync(path)) throw new MockError(op, "E_FILE_NOT_FOUND", `optimizer state file not found: ${path}. Fix: pass the file written by saveOptimizerState.`);
        let s: { format?: string; names?: string[]; shapes?: number[][]; step?: number; expAvg?: number[]; expAvgSq?: number[] };
        try {
          s = JSON.parse(readFileSync(path, "utf8"));
        } catch {
          throw new MockError(op, "E_CHECKPOINT", `${path} is not an optimizer state file written by saveOptimizerState`);
        }
        if (s.format !== MOCK_STATE_FORMAT) throw new MockError(op, "E_CHECKPOINT", `${path} has an unknown optimizer state format (expected ${MOCK_STATE_FORMAT})`);
        const V = m.config.vocabSize;
        if (s.names?.length !== 1 || s.names[0] !== MOCK_PARAM) throw new MockError(op, "E_CHECKPOINT", `${path} holds the state of parameters ${JSON.stringify(s.names)} but the configured optimizer trains ${MOCK_PARAM}`);
        if (s.shapes?.[0]?.join(",") !== `${V},${V}` || s.expAvg?.length !== V * V || s.expAvgSq?.length !== V * V || !Number.isInteger(s.step)) {
          throw new MockError(op, "E_CHECKPOINT", `${path}: ${MOCK_PARAM} has shape [${s.shapes?.[0]?.join(", ")}] in the file but [${V}, ${V}] in the model`);
        }
        m.adam.m = Float64Array.from(s.expAvg);
        m.adam.v = Float64Array.from(s.expAvgSq);
        m.adam.t = s.step!;
        return { parameters: 1, step: s.step! };
      }),

    actionHeadPreset: (name) => {
      const c = MOCK_HEAD_PRESETS[name];
      if (!c) throw new MockError("actionHeadPreset", "E_CONFIG", `unknown action head preset "${name}" (known: ${Object.keys(MOCK_HEAD_PRESETS).join(", ")})`);
      return { ...c };
    },

    async initActionHead(o) {
      validateHeadConfig("initActionHead", o.config);
      checkDevice("initActionHead", o.device);
      await new Promise((r) => setImmediate(r));
      const r = rng(o.seed);
      const w = new Float64Array(o.config.actionDim * headWidth(o.config)).map(() => Math.fround(0.02 * gaussian(r)));
      return addHead(o.config, o.dtype, o.device, w, new Float64Array(o.config.actionDim));
    },

    async loadActionHead(o) {
      const op = "loadActionHead";
      validateHeadConfig(op, o.config);
      checkDevice(op, o.device);
      const expected = new Map([[HEAD_W, [o.config.actionDim, headWidth(o.config)]], [HEAD_B, [o.config.actionDim]]]);
      const values = new Map<string, Float64Array>();
      const unexpected: string[] = [];
      for (const e of o.weights) {
        const shape = expected.get(e.name);
        if (!shape) {
          unexpected.push(e.name);
          continue;
        }
        if (shape.join(",") !== e.shape.join(",")) throw new MockError(op, "E_SHAPE", `weight ${e.name} has shape [${e.shape.join(", ")}] in ${e.file} but the model expects [${shape.join(", ")}]`);
        if (!existsSync(e.file)) throw new MockError(op, "E_FILE_NOT_FOUND", `weights file not found: ${e.file}`);
        const bytes = readFileSync(e.file).subarray(e.begin, e.end);
        const n = shape.reduce((a, b) => a * b, 1);
        if (bytes.length !== n * (e.dtype === "F32" ? 4 : 2)) throw new MockError(op, "E_CHECKPOINT", `weight ${e.name} in ${e.file} is truncated or corrupt`);
        const copy = Uint8Array.from(bytes);
        if (e.dtype === "F16") throw new MockError(op, "E_CHECKPOINT", "the mock core reads F32 and BF16 weights only");
        const floats = e.dtype === "F32" ? new Float32Array(copy.buffer) : Float32Array.from(new Uint16Array(copy.buffer), (x) => new Float32Array(new Uint32Array([x << 16]).buffer)[0]);
        values.set(e.name, Float64Array.from(floats));
      }
      const missing = [...expected.keys()].filter((k) => !values.has(k));
      if (missing.length || unexpected.length) {
        throw new MockError(op, "E_CHECKPOINT", `checkpoint does not match the model. Missing keys: ${missing.join(", ")}. Unexpected keys: ${unexpected.slice(0, 8).join(", ")}.`);
      }
      await new Promise((r) => setImmediate(r));
      return addHead(o.config, o.dtype, o.device, values.get(HEAD_W)!, values.get(HEAD_B)!);
    },

    actionHeadInfo: (h) => headInfo(getHead("actionHeadInfo", h)),

    saveActionHead: (h, o) =>
      headJob("saveActionHead", h, (m) => {
        if (o.dtype !== "float32" && o.dtype !== "bfloat16") throw new MockError("saveActionHead", "E_INVALID_ARGUMENT", `the mock core saves float32 or bfloat16, not ${o.dtype}`);
        mkdirSync(o.dir, { recursive: true });
        const tensors: [string, number[], Buffer][] = [
          [HEAD_W, [m.config.actionDim, headWidth(m.config)], mockTensorBytes(m.w, o.dtype)],
          [HEAD_B, [m.config.actionDim], mockTensorBytes(m.b, o.dtype)],
        ];
        const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
        let offset = 0;
        for (const [name, shape, bytes] of tensors) {
          header[name] = { dtype: o.dtype === "float32" ? "F32" : "BF16", shape, data_offsets: [offset, offset + bytes.length] };
          offset += bytes.length;
        }
        let json = JSON.stringify(header);
        while ((8 + json.length) % 8) json += " ";
        const len = Buffer.alloc(8);
        len.writeBigUInt64LE(BigInt(json.length));
        const file = join(o.dir, "model.safetensors");
        writeFileSync(`${file}.tmp`, Buffer.concat([len, Buffer.from(json, "utf8"), ...tensors.map((t) => t[2])]));
        renameSync(`${file}.tmp`, file);
        return { weightMap: { [HEAD_W]: "model.safetensors", [HEAD_B]: "model.safetensors" }, files: ["model.safetensors"], totalBytes: offset };
      }),

    disposeActionHead: (h) => {
      let m: MockHead;
      try {
        m = getHead("disposeActionHead", h);
      } catch (e) {
        return Promise.reject(e);
      }
      heads.delete(h);
      disposedHeads.add(h);
      return m.busy.then(() => undefined);
    },

    configureActionHeadOptimizer: (h, o) =>
      headJob("configureActionHeadOptimizer", h, (m) => {
        const frozen = [HEAD_W, HEAD_B].map((name) => o.freeze.some((p) => new RegExp(`^${p.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(name)));
        if (frozen.every(Boolean)) throw new MockError("configureActionHeadOptimizer", "E_INVALID_ARGUMENT", "every parameter is frozen: nothing to train (check the freeze patterns)");
        const n = m.w.length + m.b.length;
        m.adam = { m: new Float64Array(n), v: new Float64Array(n), t: 0, b1: o.betas[0], b2: o.betas[1], eps: o.eps, wd: o.weightDecay, clip: o.maxGradNorm, frozen };
        const frozenCount = (frozen[0] ? m.w.length : 0) + (frozen[1] ? m.b.length : 0);
        return { trainable: n - frozenCount, frozen: frozenCount };
      }),

    actionHeadForward: (h, b, o) =>
      headJob("actionHeadForward", h, (m) => {
        const inp = mockHeadInputs("actionHeadForward", m.config, b, true);
        const { v } = mockFlowLoss("actionHeadForward", m, inp, o.t, o.noise);
        return { velocity: Float32Array.from(v), shape: [b.batch, m.config.actionHorizon, m.config.actionDim] };
      }),

    actionHeadLoss: (h, b, o) =>
      headJob("actionHeadLoss", h, (m) => {
        const inp = mockHeadInputs("actionHeadLoss", m.config, b, true);
        const { t, noise } = noiseOf("actionHeadLoss", m, b.batch, o);
        return { loss: mockFlowLoss("actionHeadLoss", m, inp, t, noise).loss, t: Float32Array.from(t) };
      }),

    actionHeadGradients: (h, b, o) =>
      headJob("actionHeadGradients", h, (m) => {
        const op = "actionHeadGradients";
        for (const n of o.names ?? []) if (n !== HEAD_W && n !== HEAD_B) throw new MockError(op, "E_INVALID_ARGUMENT", `unknown parameter name ${n}`);
        const inp = mockHeadInputs(op, m.config, b, true);
        const { t, noise } = noiseOf(op, m, b.batch, o);
        const r = mockFlowLoss(op, m, inp, t, noise);
        const all: Record<string, Float32Array> = { [HEAD_W]: Float32Array.from(r.gw), [HEAD_B]: Float32Array.from(r.gb) };
        const grads = o.names ? Object.fromEntries(o.names.map((n) => [n, all[n]])) : all;
        return { loss: r.loss, t: Float32Array.from(t), grads };
      }),

    actionHeadTrainStep: (h, b, o) =>
      headJob("actionHeadTrainStep", h, (m) => {
        const op = "actionHeadTrainStep";
        if (!m.adam) throw new MockError(op, "E_INVALID_ARGUMENT", "the action head's optimizer is not configured. Fix: call configureActionHeadOptimizer first.");
        const inp = mockHeadInputs(op, m.config, b, true);
        const { t, noise } = mockDraw(m.config, b.batch, o.seed);
        const r = mockFlowLoss(op, m, inp, t, noise);
        return { loss: r.loss, ...headAdam(m, r.gw, r.gb, o.lr, r.loss) };
      }),

    saveActionHeadOptimizerState: (h, path) =>
      headJob("saveActionHeadOptimizerState", h, (m): OptimizerStateInfo => {
        const op = "saveActionHeadOptimizerState";
        if (!m.adam) throw new MockError(op, "E_INVALID_ARGUMENT", "the optimizer is not configured, so there is no state to save. Fix: call configureActionHeadOptimizer first.");
        if (!existsSync(dirname(path))) throw new MockError(op, "E_FILE_NOT_FOUND", `cannot write ${path}: the folder ${dirname(path)} does not exist. Fix: create it first.`);
        const a = m.adam;
        const state = { format: MOCK_STATE_FORMAT, names: [HEAD_W, HEAD_B], size: a.m.length, step: a.t, expAvg: Array.from(a.m), expAvgSq: Array.from(a.v) };
        writeFileSync(`${path}.tmp`, JSON.stringify(state));
        renameSync(`${path}.tmp`, path);
        return { parameters: 2, step: a.t };
      }),

    loadActionHeadOptimizerState: (h, path) =>
      headJob("loadActionHeadOptimizerState", h, (m): OptimizerStateInfo => {
        const op = "loadActionHeadOptimizerState";
        if (!m.adam) throw new MockError(op, "E_INVALID_ARGUMENT", "the optimizer is not configured, so there is no state to load into. Fix: call configureActionHeadOptimizer first.");
        if (!existsSync(path)) throw new MockError(op, "E_FILE_NOT_FOUND", `optimizer state file not found: ${path}. Fix: pass the file written by saveActionHeadOptimizerState.`);
        let s: { format?: string; names?: string[]; size?: number; step?: number; expAvg?: number[]; expAvgSq?: number[] };
        try {
          s = JSON.parse(readFileSync(path, "utf8"));
        } catch {
          throw new MockError(op, "E_CHECKPOINT", `${path} is not an optimizer state file written by saveActionHeadOptimizerState`);
        }
        if (s.format !== MOCK_STATE_FORMAT || s.names?.join(",") !== `${HEAD_W},${HEAD_B}`) throw new MockError(op, "E_CHECKPOINT", `${path} does not hold the state of this action head's parameters`);
        if (s.size !== m.adam.m.length || s.expAvg?.length !== s.size || s.expAvgSq?.length !== s.size || !Number.isInteger(s.step)) {
          throw new MockError(op, "E_CHECKPOINT", `${path}: the state covers ${s.size} values but the head has ${m.adam.m.length}`);
        }
        m.adam.m = Float64Array.from(s.expAvg);
        m.adam.v = Float64Array.from(s.expAvgSq);
        m.adam.t = s.step!;
        return { parameters: 2, step: s.step! };
      }),

    actionHeadSample: (h, b, o) =>
      headJob("actionHeadSample", h, (m) => {
        const op = "actionHeadSample";
        const c = m.config;
        const inp = mockHeadInputs(op, c, b, false);
        const n = b.batch * c.actionHorizon * c.actionDim;
        const x0 = o.noise ?? mockDraw(c, b.batch, o.seed!).noise;
        if (x0.length !== n) throw new MockError(op, "E_SHAPE", `noise has ${x0.length} values but [batch, actionHorizon, actionDim] = ${n}`);
        const steps = o.numSteps ?? c.numInferenceTimesteps;
        let x = Float64Array.from(x0);
        for (let k = 0; k < steps; k++) {
          const tDisc = Math.trunc((k / steps) * c.numTimestepBuckets);
          const { v } = mockVelocity(m, inp, x, new Array(b.batch).fill(tDisc));
          x = x.map((xi, i) => xi + v[i] / steps);
        }
        return { actions: Float32Array.from(x), shape: [b.batch, c.actionHorizon, c.actionDim] };
      }),
  };
}
