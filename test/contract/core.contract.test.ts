// One suite, two implementations: the mock core and the real addon must behave alike at the
// boundary (shapes, lifecycle, error codes, sampler/forward agreement, learning).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelHandle, NativeCore, TextModelConfig } from "../../src/native/contract.js";
import { checkedCore, getNativeCore } from "../../src/native/core.js";
import { NativeCoreError } from "../../src/native/errors.js";
import { createMockCore } from "../../src/native/mock-core.js";
import { textModelParams } from "../../src/model/text-weights.js";
import { ADDON_MISSING, hasAddon } from "../helpers/paths.js";

const config: TextModelConfig = {
  vocabSize: 40,
  hiddenSize: 16,
  intermediateSize: 32,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  numKeyValueHeads: 2,
  headDim: 4,
  rmsNormEps: 1e-6,
  ropeTheta: 10000,
  mropeSection: null,
  tieWordEmbeddings: false,
  maxPositionEmbeddings: 128,
  initializerRange: 0.5,
};

async function rejection(p: Promise<unknown>): Promise<NativeCoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NativeCoreError);
  return err as NativeCoreError;
}

const implementations: [string, () => NativeCore, boolean][] = [
  ["mock", () => checkedCore(createMockCore()), true],
  ["native", () => getNativeCore(), hasAddon],
];

describe.each(implementations)("NativeCore contract: %s", (_name, make, available) => {
  const skip = !available;
  const init = async (core: NativeCore, c = config) => core.initModel({ config: c, device: "cpu", dtype: "float32", seed: 7 });

  it.skipIf(skip)("reports its runtime", () => {
    const info = make().runtimeInfo();
    expect(info.devices[0]).toMatchObject({ name: "cpu", type: "cpu" });
    expect(info.intraOpThreads).toBeGreaterThan(0);
    expect(typeof info.libtorchVersion).toBe("string");
  });

  it.skipIf(skip)("creates a model and describes it", async () => {
    const core = make();
    const h = await init(core);
    const info = core.modelInfo(h);
    expect(info.vocabSize).toBe(40);
    expect(info.dtype).toBe("float32");
    expect(info.numParameters).toBeGreaterThan(0);
    await core.dispose(h);
  });

  it.skipIf(skip)("returns logits and hidden states with the documented shapes", async () => {
    const core = make();
    const h = await init(core);
    const batch = { inputIds: Int32Array.from([1, 2, 3, 4, 5, 6, 0, 0]), attentionMask: Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0]), batch: 2, seqLen: 4 };
    const all = await core.forward(h, batch, { hiddenLayers: [0, 2] });
    expect(all.logitsShape).toEqual([2, 4, 40]);
    expect(all.logits).toHaveLength(2 * 4 * 40);
    expect(all.hiddenStates).toHaveLength(2);
    expect(all.hiddenShape).toEqual([2, 4, 16]);
    const last = await core.forward(h, batch, { logits: "last" });
    expect(last.logitsShape).toEqual([2, 40]);
    // The "last" row of the padded sequence is its last real token (index 1 of row 1).
    const row1Last = all.logits!.subarray((4 + 1) * 40, (4 + 2) * 40);
    last.logits!.subarray(40, 80).forEach((x, k) => expect(Math.abs(x - row1Last[k])).toBeLessThan(1e-5));
    const none = await core.forward(h, batch, { logits: "none", hiddenLayers: [1] });
    expect(none.logits).toBeNull();
    await core.dispose(h);
  });

  it.skipIf(skip)("samples tokens whose log-probs a full forward reproduces", async () => {
    const core = make();
    const h = await init(core);
    const prompts = [[3, 4, 5, 6, 7], [8, 9]];
    const r = await core.generate(h, {
      promptIds: Int32Array.from(prompts.flat()),
      promptOffsets: Int32Array.from([0, 5, 7]),
      maxNewTokens: 6,
      temperature: 1,
      seed: 11,
    });
    expect(r.offsets[2]).toBe(r.ids.length);
    for (let i = 0; i < 2; i++) {
      const gen = Array.from(r.ids.subarray(r.offsets[i], r.offsets[i + 1]));
      expect(gen).toHaveLength(6);
      const seq = [...prompts[i], ...gen];
      const lp = await core.logprobs(h, { inputIds: Int32Array.from(seq), batch: 1, seqLen: seq.length }, { temperature: 1 });
      const full = Array.from(lp.logprobs.subarray(prompts[i].length));
      const sampled = Array.from(r.logprobs.subarray(r.offsets[i], r.offsets[i + 1]));
      full.forEach((x, k) => expect(Math.abs(x - sampled[k])).toBeLessThan(1e-4));
    }
    // Same seed, same tokens; greedy is deterministic.
    const again = await core.generate(h, { promptIds: Int32Array.from(prompts.flat()), promptOffsets: Int32Array.from([0, 5, 7]), maxNewTokens: 6, temperature: 1, seed: 11 });
    expect(Array.from(again.ids)).toEqual(Array.from(r.ids));
    await core.dispose(h);
  });

  it.skipIf(skip)("stops at stop ids and at per-request limits", async () => {
    const core = make();
    const h = await init(core);
    const greedy = await core.generate(h, { promptIds: Int32Array.from([5, 6]), promptOffsets: Int32Array.from([0, 2]), maxNewTokens: 5, temperature: 0, seed: 0 });
    const first = greedy.ids[0];
    const stopped = await core.generate(h, { promptIds: Int32Array.from([5, 6]), promptOffsets: Int32Array.from([0, 2]), maxNewTokens: 5, temperature: 0, stopIds: [first], seed: 0 });
    expect(Array.from(stopped.ids)).toEqual([first]);
    expect(stopped.finishReasons).toEqual(["stop"]);
    const limits = await core.generate(h, { promptIds: Int32Array.from([5, 6, 7]), promptOffsets: Int32Array.from([0, 2, 3]), maxNewTokens: Int32Array.from([2, 4]), temperature: 0, seed: 0 });
    expect(Array.from(limits.offsets)).toEqual([0, 2, 6]);
    expect(limits.finishReasons).toEqual(["length", "length"]);
    await core.dispose(h);
  });

  it.skipIf(skip)("learns: repeated SFT steps on one batch drive the loss down", async () => {
    const core = make();
    const h = await init(core);
    await core.configureOptimizer(h, { lr: 5e-2, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: [] });
    const batch = { inputIds: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), batch: 1, seqLen: 8, labels: Int32Array.from([-100, -100, 3, 4, 5, 6, 7, 8]) };
    const first = await core.sftStep(h, { microBatches: [batch], lr: 5e-2 });
    let last = first;
    for (let i = 0; i < 60; i++) last = await core.sftStep(h, { microBatches: [batch], lr: 5e-2 });
    expect(first.tokens).toBe(6);
    expect(last.applied).toBe(true);
    expect(last.loss).toBeLessThan(first.loss * 0.2);
    await core.dispose(h);
  });

  it.skipIf(skip)("rejects out-of-range token ids with E_TOKEN_RANGE", async () => {
    const core = make();
    const h = await init(core);
    const err = await rejection(core.forward(h, { inputIds: Int32Array.from([1, 99]), batch: 1, seqLen: 2 }, {}));
    expect(err.code).toBe("E_TOKEN_RANGE");
    expect(err.op).toBe("forward");
    expect(err.message).toMatch(/99/);
    await core.dispose(h);
  });

  it.skipIf(skip)("rejects malformed batches before they cross the boundary", async () => {
    const core = make();
    const h = await init(core);
    const err = await rejection(core.forward(h, { inputIds: Int32Array.from([1, 2, 3]), batch: 2, seqLen: 2 }, {}));
    expect(err.code).toBe("E_INVALID_ARGUMENT");
    expect(err.message).toMatch(/^Expected an Int32Array of batch × seqLen = 4 ids for batch.inputIds/);
    await core.dispose(h);
  });

  it.skipIf(skip)("rejects inconsistent configs with E_CONFIG", async () => {
    const err = await rejection(init(make(), { ...config, numKeyValueHeads: 3 }));
    expect(err.code).toBe("E_CONFIG");
    expect(err.message).toMatch(/num_key_value_heads/);
  });

  it.skipIf(skip)("fails clearly on a missing weights file and on a shape mismatch", async () => {
    const core = make();
    const dir = mkdtempSync(join(tmpdir(), "roboalign-contract-"));
    const weights = textModelParams(config).map((p) => ({ name: p.name, file: join(dir, "absent.safetensors"), dtype: "F32" as const, shape: p.shape, begin: 0, end: 4 * p.shape.reduce((a, b) => a * b, 1) }));
    const missing = await rejection(core.loadModel({ config, weights, device: "cpu", dtype: "float32" }));
    expect(missing.code).toBe("E_FILE_NOT_FOUND");
    expect(missing.message).toMatch(/absent\.safetensors/);
    writeFileSync(join(dir, "w.safetensors"), Buffer.alloc(1 << 20));
    const bad = weights.map((w) => ({ ...w, file: join(dir, "w.safetensors") }));
    bad[0] = { ...bad[0], shape: [41, 16] };
    const shape = await rejection(core.loadModel({ config, weights: bad, device: "cpu", dtype: "float32" }));
    expect(shape.code).toBe("E_SHAPE");
    expect(shape.message).toMatch(/model\.embed_tokens\.weight/);
    const incomplete = await rejection(core.loadModel({ config, weights: weights.slice(1).map((w) => ({ ...w, file: join(dir, "w.safetensors") })), device: "cpu", dtype: "float32" }));
    expect(incomplete.code).toBe("E_CHECKPOINT");
    expect(incomplete.message).toMatch(/Missing keys: model\.embed_tokens\.weight/);
  });

  it.skipIf(skip)("dispose waits for in-flight work, then the handle is dead", async () => {
    const core = make();
    const h: ModelHandle = await init(core);
    const pending = core.generate(h, { promptIds: Int32Array.from([1, 2]), promptOffsets: Int32Array.from([0, 2]), maxNewTokens: 16, temperature: 0, seed: 0 });
    const disposed = core.dispose(h);
    const result = await pending; // still completes
    expect(result.ids).toHaveLength(16);
    await disposed;
    const err = await rejection(core.forward(h, { inputIds: Int32Array.from([1]), batch: 1, seqLen: 1 }, {}));
    expect(err.code).toBe("E_DISPOSED");
    expect(() => core.modelInfo(h)).toThrow(/disposed/);
  });
});
