// The checked NativeCore every caller uses: validates arguments in TypeScript, keeps the
// caller's stack on failures, and turns every native rejection into a NativeCoreError. It wraps
// the real addon or the mock alike.
import type {
  ActionHeadBatch,
  ActionHeadConfig,
  ActionHeadNoise,
  GenerateRequest,
  NativeCore,
  PolicyBatch,
  PolicyLossInputs,
  PolicyLossOptions,
  TokenBatch,
  TrainBatch,
} from "./contract.js";
import { invalidArgument, toNativeCoreError } from "./errors.js";
import { loadNativeAddon } from "./loader.js";

function checkBatch(op: string, b: TokenBatch, name = "batch"): void {
  if (!b || typeof b !== "object") throw invalidArgument(op, "a token batch object", name, b);
  if (!(b.inputIds instanceof Int32Array)) throw invalidArgument(op, "an Int32Array", `${name}.inputIds`, b.inputIds);
  if (!Number.isInteger(b.batch) || b.batch < 1) throw invalidArgument(op, "a positive integer", `${name}.batch`, b.batch);
  if (!Number.isInteger(b.seqLen) || b.seqLen < 1) throw invalidArgument(op, "a positive integer", `${name}.seqLen`, b.seqLen);
  const n = b.batch * b.seqLen;
  if (b.inputIds.length !== n) {
    throw invalidArgument(op, `an Int32Array of batch × seqLen = ${n} ids`, `${name}.inputIds`, `length ${b.inputIds.length}`);
  }
  if (b.attentionMask !== undefined && (!(b.attentionMask instanceof Uint8Array) || b.attentionMask.length !== n)) {
    throw invalidArgument(op, `a Uint8Array of ${n} entries`, `${name}.attentionMask`, b.attentionMask);
  }
  if (b.positionIds !== undefined) {
    if (!(b.positionIds instanceof Int32Array) || (b.positionIds.length !== n && b.positionIds.length !== 3 * n)) {
      throw invalidArgument(op, `an Int32Array of ${n} or ${3 * n} entries`, `${name}.positionIds`, b.positionIds);
    }
  }
}

function checkTrainBatches(op: string, batches: TrainBatch[]): void {
  if (!Array.isArray(batches) || batches.length === 0) throw invalidArgument(op, "a non-empty array", "microBatches", batches);
  batches.forEach((b, i) => {
    checkBatch(op, b, `microBatches[${i}]`);
    if (!(b.labels instanceof Int32Array) || b.labels.length !== b.inputIds.length) {
      throw invalidArgument(op, "an Int32Array shaped like inputIds", `microBatches[${i}].labels`, b.labels);
    }
  });
}

const KL_PENALTIES = ["low_var_kl", "kl", "abs", "mse"];

function checkPolicyLossOptions(op: string, o: PolicyLossOptions, name: string, needTemperature: boolean): void {
  if (!o || typeof o !== "object") throw invalidArgument(op, "an object of policy-loss options", name, o);
  for (const k of ["clipRatioLow", "clipRatioHigh", "clipRatioDual", "klCoef"] as const) {
    if (typeof o[k] !== "number" || !Number.isFinite(o[k])) throw invalidArgument(op, "a finite number", `${name}.${k}`, o[k]);
  }
  if (!(o.clipRatioLow >= 0 && o.clipRatioLow < 1)) throw invalidArgument(op, "a number in [0, 1)", `${name}.clipRatioLow`, o.clipRatioLow);
  if (!(o.clipRatioHigh >= 0)) throw invalidArgument(op, "a number >= 0", `${name}.clipRatioHigh`, o.clipRatioHigh);
  if (!(o.clipRatioDual >= 1)) throw invalidArgument(op, "a number >= 1", `${name}.clipRatioDual`, o.clipRatioDual);
  if (!KL_PENALTIES.includes(o.klPenalty)) throw invalidArgument(op, `one of ${KL_PENALTIES.join(", ")}`, `${name}.klPenalty`, o.klPenalty);
  if (typeof o.useKlLoss !== "boolean") throw invalidArgument(op, "a boolean", `${name}.useKlLoss`, o.useKlLoss);
  if (o.lossAvgMode !== "token" && o.lossAvgMode !== "seq") throw invalidArgument(op, "\"token\" or \"seq\"", `${name}.lossAvgMode`, o.lossAvgMode);
  if ((needTemperature || o.temperature !== undefined) && !(typeof o.temperature === "number" && o.temperature > 0 && Number.isFinite(o.temperature))) {
    throw invalidArgument(op, "a positive number (the rollout temperature)", `${name}.temperature`, o.temperature);
  }
}

function checkPerToken(op: string, value: unknown, n: number, name: string, types: (typeof Float32Array | typeof Float64Array | typeof Uint8Array)[]): void {
  const typeName = types.map((t) => t.name).join(" or ");
  const array = types.some((t) => value instanceof t) ? (value as ArrayLike<number>) : undefined;
  if (!array || array.length !== n) {
    throw invalidArgument(op, `a ${typeName} of batch × seqLen = ${n} entries`, name, array ? `${value!.constructor.name} of length ${array.length}` : value);
  }
}

function checkPolicyBatches(op: string, batches: PolicyBatch[], useKlLoss: boolean): void {
  if (!Array.isArray(batches) || batches.length === 0) throw invalidArgument(op, "a non-empty array", "microBatches", batches);
  batches.forEach((b, i) => {
    const name = `microBatches[${i}]`;
    checkBatch(op, b, name);
    const n = b.batch * b.seqLen;
    checkPerToken(op, b.responseMask, n, `${name}.responseMask`, [Uint8Array]);
    checkPerToken(op, b.advantages, n, `${name}.advantages`, [Float32Array]);
    checkPerToken(op, b.oldLogprobs, n, `${name}.oldLogprobs`, [Float32Array]);
    if (b.refLogprobs !== undefined) checkPerToken(op, b.refLogprobs, n, `${name}.refLogprobs`, [Float32Array]);
    else if (useKlLoss) throw invalidArgument(op, "a Float32Array (reference log-probs are required when loss.useKlLoss is true)", `${name}.refLogprobs`, undefined);
  });
}

function checkPolicyLossInputs(op: string, i: PolicyLossInputs, useKlLoss: boolean): void {
  if (!i || typeof i !== "object") throw invalidArgument(op, "an object of per-token inputs", "inputs", i);
  if (!Number.isInteger(i.batch) || i.batch < 1) throw invalidArgument(op, "a positive integer", "inputs.batch", i.batch);
  if (!Number.isInteger(i.seqLen) || i.seqLen < 1) throw invalidArgument(op, "a positive integer", "inputs.seqLen", i.seqLen);
  const n = i.batch * i.seqLen;
  const floats = [Float32Array, Float64Array];
  checkPerToken(op, i.logprobs, n, "inputs.logprobs", floats);
  checkPerToken(op, i.oldLogprobs, n, "inputs.oldLogprobs", floats);
  checkPerToken(op, i.advantages, n, "inputs.advantages", floats);
  checkPerToken(op, i.mask, n, "inputs.mask", [Uint8Array]);
  if (i.refLogprobs !== undefined) checkPerToken(op, i.refLogprobs, n, "inputs.refLogprobs", floats);
  else if (useKlLoss) throw invalidArgument(op, "a Float32Array or Float64Array (reference log-probs are required when useKlLoss is true)", "inputs.refLogprobs", undefined);
}

function checkLr(op: string, lr: number): void {
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) throw invalidArgument(op, "a finite number >= 0", "lr", lr);
}

function checkPath(op: string, path: string): void {
  if (typeof path !== "string" || path.length === 0) throw invalidArgument(op, "a file path", "path", path);
}

function checkGenerate(r: GenerateRequest): void {
  const op = "generate";
  if (!(r.promptIds instanceof Int32Array)) throw invalidArgument(op, "an Int32Array", "promptIds", r.promptIds);
  if (!(r.promptOffsets instanceof Int32Array) || r.promptOffsets.length < 2) {
    throw invalidArgument(op, "an Int32Array of n + 1 offsets", "promptOffsets", r.promptOffsets);
  }
  if (!(typeof r.temperature === "number" && r.temperature >= 0)) throw invalidArgument(op, "a number >= 0", "temperature", r.temperature);
  if (!Number.isInteger(r.seed)) throw invalidArgument(op, "an integer", "seed", r.seed);
}

const HEAD_INT_FIELDS = [
  "actionDim", "actionHorizon", "maxStateDim", "inputEmbeddingDim", "hiddenSize", "backboneEmbeddingDim", "backboneFeatureDim",
  "ditNumLayers", "ditNumHeads", "ditHeadDim", "vlNumLayers", "vlNumHeads", "vlHeadDim", "numTargetVisionTokens", "maxSeqLen",
  "maxNumEmbodiments", "numTimestepBuckets", "numInferenceTimesteps",
] as const;

function checkHeadConfig(op: string, c: ActionHeadConfig): void {
  if (!c || typeof c !== "object") throw invalidArgument(op, "an action-head config object", "config", c);
  for (const k of HEAD_INT_FIELDS) if (!Number.isInteger(c[k]) || c[k] < 1) throw invalidArgument(op, "a positive integer", `config.${k}`, c[k]);
  for (const k of ["dropout", "noiseBetaAlpha", "noiseBetaBeta", "noiseS"] as const) {
    if (typeof c[k] !== "number" || !Number.isFinite(c[k])) throw invalidArgument(op, "a finite number", `config.${k}`, c[k]);
  }
  if (typeof c.useVlMask !== "boolean") throw invalidArgument(op, "a boolean", "config.useVlMask", c.useVlMask);
}

function checkFloats(op: string, value: unknown, name: string, length?: number): void {
  if (!(value instanceof Float32Array) || (length !== undefined && value.length !== length)) {
    throw invalidArgument(op, length === undefined ? "a Float32Array" : `a Float32Array of ${length} values`, name, value);
  }
}

function checkHeadBatch(op: string, b: ActionHeadBatch, needActions: boolean): void {
  if (!b || typeof b !== "object") throw invalidArgument(op, "an action-head batch object", "batch", b);
  if (!Number.isInteger(b.batch) || b.batch < 1) throw invalidArgument(op, "a positive integer", "batch.batch", b.batch);
  if (!Number.isInteger(b.vlLen) || b.vlLen < 1) throw invalidArgument(op, "a positive integer", "batch.vlLen", b.vlLen);
  const tokens = b.batch * b.vlLen;
  if (!(b.features instanceof Float32Array) || b.features.length === 0 || b.features.length % tokens !== 0) {
    throw invalidArgument(op, `a Float32Array of [batch, vlLen, featureDim] (a multiple of ${tokens} values)`, "batch.features", b.features);
  }
  if (b.attentionMask !== undefined && (!(b.attentionMask instanceof Uint8Array) || b.attentionMask.length !== tokens)) {
    throw invalidArgument(op, `a Uint8Array of batch × vlLen = ${tokens} entries`, "batch.attentionMask", b.attentionMask);
  }
  if (!(b.state instanceof Float32Array) || b.state.length === 0 || b.state.length % b.batch !== 0) {
    throw invalidArgument(op, `a Float32Array of [batch, stateDim] (a multiple of ${b.batch} values)`, "batch.state", b.state);
  }
  if (b.actions !== undefined || needActions) checkFloats(op, b.actions, "batch.actions");
  if (b.actionMask !== undefined && (!(b.actionMask instanceof Uint8Array) || b.actionMask.length !== b.actions?.length)) {
    throw invalidArgument(op, "a Uint8Array shaped like actions", "batch.actionMask", b.actionMask);
  }
  const e = b.embodimentId;
  if (!(typeof e === "number" ? Number.isInteger(e) && e >= 0 : e instanceof Int32Array && e.length === b.batch)) {
    throw invalidArgument(op, `a non-negative integer or an Int32Array of ${b.batch} ids`, "batch.embodimentId", e);
  }
}

function checkHeadNoise(op: string, b: ActionHeadBatch, o: ActionHeadNoise, requireGiven: boolean): void {
  if (!o || typeof o !== "object") throw invalidArgument(op, "an options object", "options", o);
  const given = o.t !== undefined || o.noise !== undefined;
  if (given || requireGiven) {
    checkFloats(op, o.t, "options.t", b.batch);
    checkFloats(op, o.noise, "options.noise");
  } else if (!Number.isInteger(o.seed)) {
    throw invalidArgument(op, "an integer seed (or both t and noise)", "options.seed", o.seed);
  }
}

function checkSeed(op: string, seed: unknown, name = "options.seed"): void {
  if (!Number.isInteger(seed)) throw invalidArgument(op, "an integer", name, seed);
}

async function call<T>(op: string, fn: () => Promise<T>): Promise<T> {
  const callSite = new Error();
  try {
    return await fn();
  } catch (err) {
    throw toNativeCoreError(err, op, callSite);
  }
}

function callSync<T>(op: string, fn: () => T): T {
  const callSite = new Error();
  try {
    return fn();
  } catch (err) {
    throw toNativeCoreError(err, op, callSite);
  }
}

/** Wraps a raw core (addon or mock) with validation and typed errors. */
export function checkedCore(raw: NativeCore): NativeCore {
  return {
    runtimeInfo: () => callSync("runtimeInfo", () => raw.runtimeInfo()),
    matmulBenchmark: (device, size, seconds) => call("matmulBenchmark", () => raw.matmulBenchmark(device, size, seconds)),
    loadModel: (o) => call("loadModel", () => raw.loadModel(o)),
    initModel: (o) => call("initModel", () => raw.initModel(o)),
    modelInfo: (m) => callSync("modelInfo", () => raw.modelInfo(m)),
    resizeTokenEmbeddings: (m, n, seed) => call("resizeTokenEmbeddings", () => raw.resizeTokenEmbeddings(m, n, seed)),
    save: (m, o) => call("save", () => raw.save(m, o)),
    dispose: (m) => call("dispose", () => raw.dispose(m)),
    forward: (m, b, o) =>
      call("forward", async () => {
        checkBatch("forward", b);
        return raw.forward(m, b, o ?? {});
      }),
    logprobs: (m, b, o) =>
      call("logprobs", async () => {
        checkBatch("logprobs", b);
        return raw.logprobs(m, b, o ?? {});
      }),
    generate: (m, r) =>
      call("generate", async () => {
        checkGenerate(r);
        return raw.generate(m, r);
      }),
    encodeImages: (m, images, o) =>
      call("encodeImages", async () => {
        if (!(images?.pixelValues instanceof Float32Array)) throw invalidArgument("encodeImages", "a Float32Array", "pixelValues", images?.pixelValues);
        if (!(images.imageGridThw instanceof Int32Array) || images.imageGridThw.length % 3 !== 0) {
          throw invalidArgument("encodeImages", "an Int32Array of [t, h, w] per image", "imageGridThw", images.imageGridThw);
        }
        return raw.encodeImages(m, images, o ?? {});
      }),
    configureOptimizer: (m, o) => call("configureOptimizer", () => raw.configureOptimizer(m, o)),
    sftStep: (m, o) =>
      call("sftStep", async () => {
        checkTrainBatches("sftStep", o.microBatches);
        return raw.sftStep(m, o);
      }),
    gradients: (m, b, names) =>
      call("gradients", async () => {
        checkTrainBatches("gradients", b);
        return raw.gradients(m, b, names);
      }),
    policyStep: (m, o) =>
      call("policyStep", async () => {
        if (!o || typeof o !== "object") throw invalidArgument("policyStep", "an options object", "options", o);
        checkLr("policyStep", o.lr);
        checkPolicyLossOptions("policyStep", o.loss, "loss", true);
        checkPolicyBatches("policyStep", o.microBatches, o.loss.useKlLoss);
        return raw.policyStep(m, o);
      }),
    policyLoss: (i, o) =>
      call("policyLoss", async () => {
        checkPolicyLossOptions("policyLoss", o, "options", false);
        checkPolicyLossInputs("policyLoss", i, o.useKlLoss);
        if (o.tokenNormalizer !== undefined && !(typeof o.tokenNormalizer === "number" && o.tokenNormalizer > 0 && Number.isFinite(o.tokenNormalizer))) {
          throw invalidArgument("policyLoss", "a positive number (the response tokens of the whole step)", "options.tokenNormalizer", o.tokenNormalizer);
        }
        return raw.policyLoss(i, o);
      }),
    saveOptimizerState: (m, path) =>
      call("saveOptimizerState", async () => {
        checkPath("saveOptimizerState", path);
        return raw.saveOptimizerState(m, path);
      }),
    loadOptimizerState: (m, path) =>
      call("loadOptimizerState", async () => {
        checkPath("loadOptimizerState", path);
        return raw.loadOptimizerState(m, path);
      }),
    actionHeadPreset: (name) => callSync("actionHeadPreset", () => raw.actionHeadPreset(name)),
    initActionHead: (o) =>
      call("initActionHead", async () => {
        checkHeadConfig("initActionHead", o?.config);
        checkSeed("initActionHead", o.seed, "seed");
        return raw.initActionHead(o);
      }),
    loadActionHead: (o) =>
      call("loadActionHead", async () => {
        checkHeadConfig("loadActionHead", o?.config);
        if (!Array.isArray(o.weights)) throw invalidArgument("loadActionHead", "an array of weight entries", "weights", o.weights);
        return raw.loadActionHead(o);
      }),
    actionHeadInfo: (h) => callSync("actionHeadInfo", () => raw.actionHeadInfo(h)),
    saveActionHead: (h, o) =>
      call("saveActionHead", async () => {
        if (typeof o?.dir !== "string" || o.dir.length === 0) throw invalidArgument("saveActionHead", "a directory path", "dir", o?.dir);
        return raw.saveActionHead(h, o);
      }),
    disposeActionHead: (h) => call("disposeActionHead", () => raw.disposeActionHead(h)),
    configureActionHeadOptimizer: (h, o) =>
      call("configureActionHeadOptimizer", async () => {
        checkLr("configureActionHeadOptimizer", o?.lr);
        return raw.configureActionHeadOptimizer(h, o);
      }),
    actionHeadForward: (h, b, o) =>
      call("actionHeadForward", async () => {
        checkHeadBatch("actionHeadForward", b, true);
        checkHeadNoise("actionHeadForward", b, o, true);
        return raw.actionHeadForward(h, b, o);
      }),
    actionHeadLoss: (h, b, o) =>
      call("actionHeadLoss", async () => {
        checkHeadBatch("actionHeadLoss", b, true);
        checkHeadNoise("actionHeadLoss", b, o, false);
        return raw.actionHeadLoss(h, b, o);
      }),
    actionHeadGradients: (h, b, o) =>
      call("actionHeadGradients", async () => {
        checkHeadBatch("actionHeadGradients", b, true);
        checkHeadNoise("actionHeadGradients", b, o, false);
        if (o.names !== undefined && (!Array.isArray(o.names) || o.names.some((n) => typeof n !== "string"))) {
          throw invalidArgument("actionHeadGradients", "an array of parameter names", "options.names", o.names);
        }
        return raw.actionHeadGradients(h, b, o);
      }),
    saveActionHeadOptimizerState: (h, path) =>
      call("saveActionHeadOptimizerState", async () => {
        checkPath("saveActionHeadOptimizerState", path);
        return raw.saveActionHeadOptimizerState(h, path);
      }),
    loadActionHeadOptimizerState: (h, path) =>
      call("loadActionHeadOptimizerState", async () => {
        checkPath("loadActionHeadOptimizerState", path);
        return raw.loadActionHeadOptimizerState(h, path);
      }),
    actionHeadTrainStep: (h, b, o) =>
      call("actionHeadTrainStep", async () => {
        checkHeadBatch("actionHeadTrainStep", b, true);
        checkLr("actionHeadTrainStep", o?.lr);
        checkSeed("actionHeadTrainStep", o.seed);
        return raw.actionHeadTrainStep(h, b, o);
      }),
    actionHeadSample: (h, b, o) =>
      call("actionHeadSample", async () => {
        checkHeadBatch("actionHeadSample", b, false);
        if (!o || typeof o !== "object") throw invalidArgument("actionHeadSample", "an options object", "options", o);
        if (o.noise !== undefined) checkFloats("actionHeadSample", o.noise, "options.noise");
        else checkSeed("actionHeadSample", o.seed);
        if (o.numSteps !== undefined && !(Number.isInteger(o.numSteps) && o.numSteps > 0)) {
          throw invalidArgument("actionHeadSample", "a positive integer", "options.numSteps", o.numSteps);
        }
        return raw.actionHeadSample(h, b, o);
      }),
  };
}

let nativeCore: NativeCore | undefined;

/** The real native core, loaded once per process. */
export function getNativeCore(): NativeCore {
  nativeCore ??= checkedCore(loadNativeAddon().core);
  return nativeCore;
}
