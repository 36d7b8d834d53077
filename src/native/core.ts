// The checked NativeCore every caller uses: validates arguments in TypeScript, keeps the
// caller's stack on failures, and turns every native rejection into a NativeCoreError. It wraps
// the real addon or the mock alike.
import type { GenerateRequest, NativeCore, TokenBatch, TrainBatch } from "./contract.js";
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

function checkGenerate(r: GenerateRequest): void {
  const op = "generate";
  if (!(r.promptIds instanceof Int32Array)) throw invalidArgument(op, "an Int32Array", "promptIds", r.promptIds);
  if (!(r.promptOffsets instanceof Int32Array) || r.promptOffsets.length < 2) {
    throw invalidArgument(op, "an Int32Array of n + 1 offsets", "promptOffsets", r.promptOffsets);
  }
  if (!(typeof r.temperature === "number" && r.temperature >= 0)) throw invalidArgument(op, "a number >= 0", "temperature", r.temperature);
  if (!Number.isInteger(r.seed)) throw invalidArgument(op, "an integer", "seed", r.seed);
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
  };
}

let nativeCore: NativeCore | undefined;

/** The real native core, loaded once per process. */
export function getNativeCore(): NativeCore {
  nativeCore ??= checkedCore(loadNativeAddon().core);
  return nativeCore;
}
