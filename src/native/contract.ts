// The whole native surface, typed once. The real addon (native/) and the mock core
// (src/native/mock-core.ts) both implement `NativeCore`; test/contract runs one suite on both.
//
// Rules: every call that can take more than a millisecond returns a Promise and runs on the
// native executor thread of its device; inputs are typed arrays plus small option objects and
// are copied before the job is queued; outputs are new typed arrays.

declare const handleBrand: unique symbol;
/** Opaque handle of a model that lives in native memory. */
export type ModelHandle = number & { readonly [handleBrand]: "ModelHandle" };

export type Device = "cpu" | `cuda:${number}` | "cuda";
export type DType = "float32" | "bfloat16" | "float16";

/** Qwen2 / Qwen2.5 text-model hyper-parameters, resolved from a Hugging Face config.json. */
export interface TextModelConfig {
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  /** M-RoPE frequency sections (t, h, w), summing to headDim/2; null for plain 1-D RoPE. */
  mropeSection: [number, number, number] | null;
  tieWordEmbeddings: boolean;
  maxPositionEmbeddings: number;
  /** Std of the normal used for random initialisation (`initializer_range`). */
  initializerRange: number;
}

/** Qwen2.5-VL vision tower hyper-parameters, resolved from `vision_config`. */
export interface VisionModelConfig {
  depth: number;
  hiddenSize: number;
  intermediateSize: number;
  numHeads: number;
  inChannels: number;
  /** Width of the merged image embeddings: the language model's hidden size. */
  outHiddenSize: number;
  patchSize: number;
  temporalPatchSize: number;
  spatialMergeSize: number;
  windowSize: number;
  fullattBlockIndexes: number[];
  rmsNormEps: number;
}

/** The vision half of a multimodal checkpoint. */
export interface VisionSpec {
  config: VisionModelConfig;
  /** Id of `<|image_pad|>`: these positions receive the image embeddings, in order. */
  imageTokenId: number;
}

/** Images of a batch: every image's patches concatenated ([patches, C·T·P·P]) and its [t, h, w] grid. */
export interface ImageInputs {
  pixelValues: Float32Array;
  imageGridThw: Int32Array;
}

/** One tensor inside a safetensors file: byte range relative to the file start. */
export interface WeightEntry {
  name: string;
  file: string;
  dtype: "F32" | "BF16" | "F16";
  shape: number[];
  begin: number;
  end: number;
}

export interface LoadModelOptions {
  config: TextModelConfig;
  /** Present for Qwen2.5-VL checkpoints: builds the vision tower and loads `visual.*`. */
  vision?: VisionSpec;
  /** Tensors under checkpoint key names (`model.*`, `lm_head.weight`, or the `model.language_model.*` variant). */
  weights: WeightEntry[];
  device: Device;
  dtype: DType;
}

export interface InitModelOptions {
  config: TextModelConfig;
  vision?: VisionSpec;
  device: Device;
  dtype: DType;
  seed: number;
}

export interface ModelInfo {
  numParameters: number;
  numTrainable: number;
  vocabSize: number;
  dtype: DType;
  device: string;
  tiedEmbeddings: boolean;
}

/**
 * A right-padded batch: `inputIds` is [batch, seqLen] row-major; `attentionMask` marks real
 * tokens (1) and padding (0). Positions default to the running count of real tokens.
 */
export interface TokenBatch {
  inputIds: Int32Array;
  batch: number;
  seqLen: number;
  attentionMask?: Uint8Array;
  /** [batch, seqLen] (1-D RoPE) or [3, batch, seqLen] (M-RoPE axes t, h, w). */
  positionIds?: Int32Array;
  /** Images whose embeddings replace the image-pad tokens of the batch, in order. */
  pixelValues?: Float32Array;
  imageGridThw?: Int32Array;
}

export interface ForwardOptions {
  /** Hugging Face `hidden_states` indices: 0 = embeddings, i = output of layer i-1, L = after the final norm. */
  hiddenLayers?: number[];
  /**
   * Apply the final RMSNorm to every requested hidden state: index i then equals what a model cut
   * after layer i returns as its last hidden state (GR00T's backbone features). Index L is normed anyway.
   */
  normHidden?: boolean;
  /** "all": [batch, seqLen, vocab]; "last": logits of each row's last real token [batch, vocab]; "none". */
  logits?: "all" | "last" | "none";
}

export interface ForwardResult {
  logits: Float32Array | null;
  logitsShape: number[];
  /** One [batch, seqLen, hidden] array per requested layer, in request order. */
  hiddenStates: Float32Array[];
  hiddenShape: number[];
}

export interface LogprobsOptions {
  /** Divides the logits before the softmax, as the sampler does (1 = the model's distribution). */
  temperature?: number;
  /** Also return the entropy of each next-token distribution. */
  entropy?: boolean;
}

export interface LogprobsResult {
  /** [batch, seqLen]: log p(ids[t] | ids[<t]) at t >= 1; 0 at t = 0 and at padding. */
  logprobs: Float32Array;
  entropy: Float32Array | null;
}

export interface GenerateRequest {
  /** Prompts concatenated; prompt i is ids[offsets[i] .. offsets[i+1]). */
  promptIds: Int32Array;
  promptOffsets: Int32Array;
  maxNewTokens: number | Int32Array;
  /** 0 = greedy. */
  temperature: number;
  topK?: number;
  topP?: number;
  /** Stop ids for every request, or per request (`stopIds[i]`). The stop token is kept in the output. */
  stopIds?: number[] | number[][];
  seed: number;
  /** Ids never sampled (RL rollouts ban the image-pad token); their log-probs stay in the reported distribution. */
  bannedIds?: number[];
  /** Optional explicit M-RoPE prompt positions [3, totalPromptTokens] and per-prompt `ropeDeltas`. */
  positionIds?: Int32Array;
  ropeDeltas?: Int32Array;
  /** Images of all prompts, in order; their expanded image-pad tokens are in promptIds. */
  pixelValues?: Float32Array;
  imageGridThw?: Int32Array;
}

export type FinishReason = "stop" | "length";

export interface GenerateResult {
  /** Generated ids concatenated; request i is ids[offsets[i] .. offsets[i+1]). */
  ids: Int32Array;
  offsets: Int32Array;
  /** Log-prob of each generated id under softmax(logits / temperature) (temperature 1 when greedy). */
  logprobs: Float32Array;
  finishReasons: FinishReason[];
  info: { promptTokens: number; generatedTokens: number; seconds: number };
}

export interface EncodeImagesResult {
  /** [tokens, outHiddenSize]: merged image embeddings, raster order per image. */
  imageEmbeds: Float32Array;
  embedShape: number[];
  /** [patches, hidden]: patch embeddings, processor (block-major) order. */
  patchEmbeds: Float32Array;
  /** Each vision block's output [patches, hidden] in block-major order (only when asked). */
  blockOutputs: Float32Array[];
}

export interface OptimizerOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** Global L2 grad-norm clip; 0 disables. */
  maxGradNorm: number;
  /** Glob patterns (`*` wildcard) over parameter names that stay frozen. */
  freeze: string[];
}

export interface TrainBatch extends TokenBatch {
  /** [batch, seqLen] targets aligned with inputIds (shifted inside, as Hugging Face does); -100 = ignore. */
  labels: Int32Array;
}

export interface SftStepOptions {
  /** Micro-batches whose gradients are accumulated into one optimizer step. */
  microBatches: TrainBatch[];
  /** Learning rate of this step (the schedule lives in TypeScript). */
  lr: number;
}

export interface SftStepResult {
  /** Token-mean cross-entropy over all micro-batches (exact across micro-batch boundaries). */
  loss: number;
  /** Global grad norm before clipping. */
  gradNorm: number;
  tokens: number;
  /** False when the loss or gradients were not finite and the update was skipped. */
  applied: boolean;
}

export interface GradientsResult {
  loss: number;
  tokens: number;
  /** Gradient of the token-mean loss for each requested parameter (all trainable when omitted). */
  grads: Record<string, Float32Array>;
}

/**
 * The GRPO actor loss as EasyR1 computes it (shared/reference/grpo.md formulas (8)–(13)); EasyR1's
 * defaults are clip 0.2/0.3, dual clip 3, β 0.01, low_var_kl, useKlLoss true, token mode.
 */
export interface PolicyLossOptions {
  /** ε_l: the clipped ratio ρ̃ ≥ 1 − ε_l. */
  clipRatioLow: number;
  /** ε_h: ρ̃ ≤ 1 + ε_h. */
  clipRatioHigh: number;
  /** c of the dual clip: the loss of a token with Â < 0 is at most −Â·c. */
  clipRatioDual: number;
  /** β: weight of the KL term (with useKlLoss). */
  klCoef: number;
  /** Per-token KL estimator against the reference policy (low_var_kl = k3, clamped). */
  klPenalty: "low_var_kl" | "kl" | "abs" | "mse";
  /** KL as a loss term; false = no KL term (KL in the reward, or no KL at all). */
  useKlLoss: boolean;
  /** token: one token mean over the step; seq: mean over responses of each response's token mean (per micro-batch). */
  lossAvgMode: "token" | "seq";
  /** Divides logits before log-softmax (the rollout temperature). */
  temperature: number;
}

/** A micro-batch of a GRPO update: the sequences (prompt + response) and their per-token terms. */
export interface PolicyBatch extends TokenBatch {
  /** [batch, seqLen]: 1 where log p(ids[t] | ids[<t]) is trained (response tokens incl. EOS), aligned as the `logprobs` output (so column 0 is always 0). */
  responseMask: Uint8Array;
  /** [batch, seqLen] Â per token (only response positions are read). */
  advantages: Float32Array;
  /** [batch, seqLen] log π_old, recomputed at the rollout temperature. */
  oldLogprobs: Float32Array;
  /** [batch, seqLen] log π_ref of the reference model; required when useKlLoss. */
  refLogprobs?: Float32Array;
}

export interface PolicyStepOptions {
  /** Micro-batches of one mini-batch: their gradients make one optimizer step. */
  microBatches: PolicyBatch[];
  /** Learning rate of this step (the schedule lives in TypeScript). */
  lr: number;
  loss: PolicyLossOptions;
}

/** Loss and EasyR1 `actor/*` metrics of a step: per micro-batch values weighted by its share Σm_mb/T of the step's T response tokens (formula (13)). */
export interface PolicyStepResult {
  /** The loss that was backpropagated (token mode: the exact token mean over the step). */
  loss: number;
  pgLoss: number;
  /** A(k) (0 without useKlLoss); loss = pgLoss + klCoef·klLoss. */
  klLoss: number;
  /** Token mean of log π_old − log π_θ. */
  ppoKl: number;
  /** A(−log π_θ): a metric only, there is no entropy term. */
  entropyLoss: number;
  /** Fraction of tokens whose ratio the ε clip bounds. */
  clipfracHigher: number;
  /** Fraction of tokens the dual clip bounds (Â < 0). */
  clipfracLower: number;
  /** Global grad norm before clipping. */
  gradNorm: number;
  /** T: response tokens of the step. */
  tokens: number;
  /** False when the loss or the gradient norm was not finite and the update was skipped. */
  applied: boolean;
}

/** Per-token inputs of `policyLoss`, each [batch, seqLen] row-major. */
export interface PolicyLossInputs {
  batch: number;
  seqLen: number;
  /** log π_θ: the values the gradient is taken with respect to. */
  logprobs: Float32Array | Float64Array;
  oldLogprobs: Float32Array | Float64Array;
  /** Required when useKlLoss. */
  refLogprobs?: Float32Array | Float64Array;
  advantages: Float32Array | Float64Array;
  /** 1 where a token counts. */
  mask: Uint8Array;
}

export type PolicyLossCheckOptions = PolicyLossOptions & {
  /** T of formula (13): `loss` and `gradLogprobs` become this micro-batch's share L·(Σ mask)/T; the metrics stay unscaled. */
  tokenNormalizer?: number;
};

export interface PolicyLossCheckResult {
  loss: number;
  pgLoss: number;
  klLoss: number;
  ppoKl: number;
  entropyLoss: number;
  clipfracHigher: number;
  clipfracLower: number;
  /** d loss / d logprobs, [batch, seqLen]; 0 off the mask. */
  gradLogprobs: Float64Array;
}

/** What an optimizer-state file holds. */
export interface OptimizerStateInfo {
  /** Trainable parameter tensors. */
  parameters: number;
  /** Largest AdamW step count among them (the number of applied steps). */
  step: number;
}

export interface SaveOptions {
  /** Directory for the safetensors files (the TypeScript side writes config.json). */
  dir: string;
  dtype: DType;
  /** Largest shard in bytes; one file `model.safetensors` when the model fits. */
  maxShardBytes: number;
}

export interface SaveResult {
  /** File name per tensor name (for `model.safetensors.index.json`). */
  weightMap: Record<string, string>;
  files: string[];
  totalBytes: number;
}

export interface RuntimeInfo {
  addonVersion: string;
  libtorchVersion: string;
  compiledWithCuda: boolean;
  cudaAvailable: boolean;
  cudaVersion: string | null;
  cudnnVersion: string | null;
  devices: { name: string; type: "cpu" | "cuda"; totalMemory: number | null }[];
  intraOpThreads: number;
  interOpThreads: number;
  kernels: Record<string, string>;
}

export interface MatmulBenchmarkResult {
  iterations: number;
  seconds: number;
  gflops: number;
}

declare const actionHeadBrand: unique symbol;
/** Opaque handle of a GR00T flow-matching action head that lives in native memory. */
export type ActionHeadHandle = number & { readonly [actionHeadBrand]: "ActionHeadHandle" };

/**
 * GR00T N1.5 flow-matching action head hyper-parameters (shared/reference/action-head.md §4),
 * flattened. `actionHeadPreset("gr00t-n1.5")` gives the reference sizes, `"tiny"` a test size.
 * The object is plain JSON: write it as the head's config.json beside model.safetensors.
 */
export interface ActionHeadConfig {
  /** A: padded action width (32); shorter action chunks are zero-padded and masked in the loss. */
  actionDim: number;
  /** T: actions per chunk (16). */
  actionHorizon: number;
  /** S: padded state width (64). */
  maxStateDim: number;
  /** D: DiT width (1536) = ditNumHeads · ditHeadDim. */
  inputEmbeddingDim: number;
  /** State-MLP hidden, DiT output and decoder width (1024). */
  hiddenSize: number;
  /** Dvl: VL width inside the head (2048) = vlNumHeads · vlHeadDim. */
  backboneEmbeddingDim: number;
  /** Width of the backbone features given to the head; a trainable projection to Dvl is added when it differs (3584 for Qwen2.5-VL-7B). */
  backboneFeatureDim: number;
  ditNumLayers: number;
  ditNumHeads: number;
  ditHeadDim: number;
  /** Layers of the VL self-attention adapter (4). */
  vlNumLayers: number;
  vlNumHeads: number;
  vlHeadDim: number;
  /** Dropout of the DiT and the adapter during training steps (0.2). */
  dropout: number;
  /** Learned future tokens between the state and the action tokens (32). */
  numTargetVisionTokens: number;
  /** Rows of the action position embedding (1024; only the first actionHorizon are used). */
  maxSeqLen: number;
  /** E: embodiment slots of the category-specific layers (32; 1 suffices for one robot). */
  maxNumEmbodiments: number;
  /** Training time t = (noiseS − u)/noiseS with u ~ Beta(noiseBetaAlpha, noiseBetaBeta) (1.5, 1, 0.999). */
  noiseBetaAlpha: number;
  noiseBetaBeta: number;
  noiseS: number;
  /** t is discretised as trunc(t · numTimestepBuckets) (1000). */
  numTimestepBuckets: number;
  /** Default Euler steps of actionHeadSample (4). */
  numInferenceTimesteps: number;
  /** false (GR00T-faithful): the VL attention mask is ignored; true: key-padding mask in the adapter and the DiT cross-attention. */
  useVlMask: boolean;
}

export type ActionHeadPresetName = "gr00t-n1.5" | "tiny";

/** Inputs of the action head, row-major. */
export interface ActionHeadBatch {
  batch: number;
  /** L: VL tokens per row. */
  vlLen: number;
  /** [batch, vlLen, backboneFeatureDim] backbone hidden states. */
  features: Float32Array;
  /** [batch, vlLen], 1 = real token; read only when config.useVlMask (every row needs a real token). */
  attentionMask?: Uint8Array;
  /** [batch, stateDim] normalised state, stateDim ≤ maxStateDim (zero-padded natively). */
  state: Float32Array;
  /** [batch, actionHorizon, actionDimIn] normalised action chunk, actionDimIn ≤ actionDim; needed by forward, loss, gradients and training. */
  actions?: Float32Array;
  /** [batch, actionHorizon, actionDimIn], 1 = counts in the loss; default: every given entry. */
  actionMask?: Uint8Array;
  /** One embodiment id for the batch, or one per row (in [0, maxNumEmbodiments)). */
  embodimentId: number | Int32Array;
}

export interface InitActionHeadOptions {
  config: ActionHeadConfig;
  device: Device;
  dtype: DType;
  /** Seeds GR00T's initialisation of a new head (reference §5.10). */
  seed: number;
}

export interface LoadActionHeadOptions {
  config: ActionHeadConfig;
  /** Tensors under GR00T checkpoint keys (`action_head.*`, plus `backbone.eagle_linear.*` when projecting). */
  weights: WeightEntry[];
  device: Device;
  dtype: DType;
}

export interface ActionHeadInfo {
  config: ActionHeadConfig;
  numParameters: number;
  numTrainable: number;
  dtype: DType;
  device: string;
}

/** Where the flow-matching time and noise come from: given (both), or drawn from `seed`. */
export interface ActionHeadNoise {
  /** [batch] times (0 = noise, 1 = data). */
  t?: Float32Array;
  /** [batch, actionHorizon, actionDim] (the padded width). */
  noise?: Float32Array;
  seed?: number;
}

export interface ActionHeadForwardResult {
  /** [batch, actionHorizon, actionDim] predicted velocity at x_t = (1 − t)·noise + t·actions (no dropout). */
  velocity: Float32Array;
  shape: number[];
}

export interface ActionHeadLossResult {
  /** Σ mask·(pred − (actions − noise))² / Σ mask, without dropout. */
  loss: number;
  /** [batch] the times used. */
  t: Float32Array;
}

export interface ActionHeadGradientsResult extends ActionHeadLossResult {
  /** d loss / dθ per requested parameter (every trainable one when `names` is omitted). */
  grads: Record<string, Float32Array>;
}

export interface ActionHeadTrainStepOptions {
  /** Learning rate of this step (the schedule lives in TypeScript). */
  lr: number;
  /** Draws t, noise and the dropout masks of this step. */
  seed: number;
}

export interface ActionHeadTrainStepResult {
  loss: number;
  /** Global grad norm before clipping. */
  gradNorm: number;
  /** False when the loss or the gradient norm was not finite and the update was skipped. */
  applied: boolean;
}

export interface ActionHeadSampleOptions {
  /** Draws the initial noise; or give `noise` ([batch, actionHorizon, actionDim]) itself. */
  seed?: number;
  noise?: Float32Array;
  /** Euler steps; default config.numInferenceTimesteps. */
  numSteps?: number;
}

export interface ActionHeadSampleResult {
  /** [batch, actionHorizon, actionDim] actions in normalised space (padded dims included). */
  actions: Float32Array;
  shape: number[];
}

/** Typed failure of a native call. Codes are stable; messages say how to fix the problem. */
export type NativeErrorCode =
  | "E_INVALID_ARGUMENT"
  | "E_FILE_NOT_FOUND"
  | "E_CHECKPOINT"
  | "E_SHAPE"
  | "E_TOKEN_RANGE"
  | "E_CONFIG"
  | "E_OUT_OF_MEMORY"
  | "E_DEVICE"
  | "E_DISPOSED"
  | "E_INTERNAL";

export interface NativeCore {
  /** Versions, devices and threads. Cheap; synchronous. */
  runtimeInfo(): RuntimeInfo;
  /** Square fp32 matmuls for `seconds` on the device: a health check and throughput probe. */
  matmulBenchmark(device: Device, size: number, seconds: number): Promise<MatmulBenchmarkResult>;

  loadModel(options: LoadModelOptions): Promise<ModelHandle>;
  initModel(options: InitModelOptions): Promise<ModelHandle>;
  modelInfo(model: ModelHandle): ModelInfo;
  /** Grows (or shrinks) embeddings and an untied lm_head; new rows are initialised as Hugging Face's mean resizing does. */
  resizeTokenEmbeddings(model: ModelHandle, newVocabSize: number, seed: number): Promise<ModelInfo>;
  save(model: ModelHandle, options: SaveOptions): Promise<SaveResult>;
  dispose(model: ModelHandle): Promise<void>;

  forward(model: ModelHandle, batch: TokenBatch, options: ForwardOptions): Promise<ForwardResult>;
  logprobs(model: ModelHandle, batch: TokenBatch, options: LogprobsOptions): Promise<LogprobsResult>;
  generate(model: ModelHandle, request: GenerateRequest): Promise<GenerateResult>;
  /** The vision tower alone (parity checks, feature caching). */
  encodeImages(model: ModelHandle, images: ImageInputs, options: { blocks?: boolean }): Promise<EncodeImagesResult>;

  configureOptimizer(model: ModelHandle, options: OptimizerOptions): Promise<{ trainable: number; frozen: number }>;
  sftStep(model: ModelHandle, options: SftStepOptions): Promise<SftStepResult>;
  gradients(model: ModelHandle, microBatches: TrainBatch[], names?: string[]): Promise<GradientsResult>;
  /** One GRPO policy update (EasyR1): accumulate the micro-batches' loss shares, clip, AdamW. */
  policyStep(model: ModelHandle, options: PolicyStepOptions): Promise<PolicyStepResult>;
  /**
   * The loss of `policyStep` on given log-probs, in float64 with its gradient: the native
   * formulas, checkable against reference values. Needs no model; `temperature` is not used.
   */
  policyLoss(inputs: PolicyLossInputs, options: PolicyLossCheckOptions): Promise<PolicyLossCheckResult>;
  /** Writes the AdamW moments and step counts of the configured optimizer to `path` (atomically). */
  saveOptimizerState(model: ModelHandle, path: string): Promise<OptimizerStateInfo>;
  /**
   * Restores a state written by saveOptimizerState into the configured optimizer (configure it
   * first, with the saved run's options); E_CHECKPOINT when the parameters do not match.
   */
  loadOptimizerState(model: ModelHandle, path: string): Promise<OptimizerStateInfo>;

  /** The config of a named action-head preset ("gr00t-n1.5" or "tiny"). Cheap; synchronous. */
  actionHeadPreset(name: ActionHeadPresetName): ActionHeadConfig;
  /** A new GR00T flow-matching action head, initialised as GR00T initialises a new head. */
  initActionHead(options: InitActionHeadOptions): Promise<ActionHeadHandle>;
  /** An action head from safetensors weights; E_CHECKPOINT on missing or unexpected keys, E_SHAPE on a size mismatch. */
  loadActionHead(options: LoadActionHeadOptions): Promise<ActionHeadHandle>;
  actionHeadInfo(head: ActionHeadHandle): ActionHeadInfo;
  /** Writes `model.safetensors` into `dir` (the caller writes the config JSON beside it). */
  saveActionHead(head: ActionHeadHandle, options: { dir: string; dtype: DType }): Promise<SaveResult>;
  disposeActionHead(head: ActionHeadHandle): Promise<void>;
  /** AdamW as GR00T's trainer builds it (no decay on biases and LayerNorm weights); `freeze` keeps parameters fixed. */
  configureActionHeadOptimizer(head: ActionHeadHandle, options: OptimizerOptions): Promise<{ trainable: number; frozen: number }>;
  /** Predicted velocity at given t and noise, without dropout (parity checks). */
  actionHeadForward(head: ActionHeadHandle, batch: ActionHeadBatch, options: { t: Float32Array; noise: Float32Array }): Promise<ActionHeadForwardResult>;
  /** The masked flow-matching loss at given or seeded t and noise, without dropout. */
  actionHeadLoss(head: ActionHeadHandle, batch: ActionHeadBatch, options: ActionHeadNoise): Promise<ActionHeadLossResult>;
  /** The loss of `actionHeadLoss` and its gradients (one backward). */
  actionHeadGradients(head: ActionHeadHandle, batch: ActionHeadBatch, options: ActionHeadNoise & { names?: string[] }): Promise<ActionHeadGradientsResult>;
  /** One training step: seeded Beta time and noise, dropout, loss, clip, AdamW (configure the optimizer first). */
  actionHeadTrainStep(head: ActionHeadHandle, batch: ActionHeadBatch, options: ActionHeadTrainStepOptions): Promise<ActionHeadTrainStepResult>;
  /** Writes the head's AdamW moments and step counts (configure its optimizer first), atomically. */
  saveActionHeadOptimizerState(head: ActionHeadHandle, path: string): Promise<OptimizerStateInfo>;
  /** Restores a state written by saveActionHeadOptimizerState; E_CHECKPOINT when the parameters do not match. */
  loadActionHeadOptimizerState(head: ActionHeadHandle, path: string): Promise<OptimizerStateInfo>;
  /** Euler integration of the learned velocity from noise (t = 0) to actions (t = 1); `actions` is not read. */
  actionHeadSample(head: ActionHeadHandle, batch: ActionHeadBatch, options: ActionHeadSampleOptions): Promise<ActionHeadSampleResult>;
}
