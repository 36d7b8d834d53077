// One suite, two implementations: the mock core and the real addon must behave alike at the
// boundary (shapes, lifecycle, error codes, sampler/forward agreement, learning).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelHandle, NativeCore, PolicyBatch, PolicyLossOptions, TextModelConfig } from "../../src/native/contract.js";
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

const grpo: PolicyLossOptions = { clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3, klCoef: 0.01, klPenalty: "low_var_kl", useKlLoss: true, lossAvgMode: "token", temperature: 1 };

/** One on-policy sequence: prompt + response, advantage `adv` on every response token. */
function onPolicyBatch(ids: number[], promptLen: number, logprobs: Float32Array, adv: number): PolicyBatch {
  const n = ids.length;
  const responseMask = Uint8Array.from(ids, (_, t) => (t >= promptLen ? 1 : 0));
  return {
    inputIds: Int32Array.from(ids),
    batch: 1,
    seqLen: n,
    responseMask,
    advantages: Float32Array.from(responseMask, (m) => m * adv),
    oldLogprobs: Float32Array.from(logprobs),
    refLogprobs: Float32Array.from(logprobs),
  };
}

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
    // normHidden applies the final RMSNorm (weight 1 after initialisation) to an inner layer's states.
    const L = 2;
    const normed = await core.forward(h, batch, { logits: "none", hiddenLayers: [1, L], normHidden: true });
    const raw = await core.forward(h, batch, { logits: "none", hiddenLayers: [1, L] });
    for (let tok = 0; tok < 8; tok += 3) {
      const r = raw.hiddenStates[0].subarray(tok * 16, (tok + 1) * 16);
      const rms = Math.sqrt(r.reduce((a, x) => a + x * x, 0) / 16 + 1e-6);
      normed.hiddenStates[0].subarray(tok * 16, (tok + 1) * 16).forEach((x, k) => expect(x).toBeCloseTo(r[k] / rms, 4));
    }
    normed.hiddenStates[1].forEach((x, k) => expect(x).toBeCloseTo(raw.hiddenStates[1][k], 5));
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
    // Banned ids (RL rollouts ban the image pad) are never drawn, greedy or sampled; the reported
    // log-probs stay those of the full distribution.
    const used = [...new Set(Array.from(r.ids))];
    for (const temperature of [0, 1]) {
      const b = await core.generate(h, { promptIds: Int32Array.from(prompts.flat()), promptOffsets: Int32Array.from([0, 5, 7]), maxNewTokens: 6, temperature, seed: 11, bannedIds: used });
      expect(Array.from(b.ids).filter((id) => used.includes(id))).toEqual([]);
      const seq = [...prompts[0], ...Array.from(b.ids.subarray(b.offsets[0], b.offsets[1]))];
      const lp = await core.logprobs(h, { inputIds: Int32Array.from(seq), batch: 1, seqLen: seq.length }, { temperature: 1 });
      Array.from(lp.logprobs.subarray(prompts[0].length)).forEach((x, k) => expect(Math.abs(x - b.logprobs[k])).toBeLessThan(1e-4));
    }
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

  it.skipIf(skip)("policyStep raises the log-prob of a positively-advantaged response", async () => {
    const core = make();
    const h = await init(core);
    const prompt = [3, 4, 5];
    const gen = await core.generate(h, { promptIds: Int32Array.from(prompt), promptOffsets: Int32Array.from([0, 3]), maxNewTokens: 5, temperature: 1, seed: 2 });
    const ids = [...prompt, ...gen.ids];
    const batch = { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length };
    const before = (await core.logprobs(h, batch, {})).logprobs;
    await core.configureOptimizer(h, { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: [] });
    const r = await core.policyStep(h, { microBatches: [onPolicyBatch(ids, prompt.length, before, 1)], lr: 1e-2, loss: grpo });
    expect(r.applied).toBe(true);
    expect(r.tokens).toBe(5);
    // On-policy: ratio 1, nothing clipped, KL 0, loss = −mean Â.
    expect(Math.abs(r.loss + 1)).toBeLessThan(1e-5);
    expect(Math.abs(r.ppoKl)).toBeLessThan(1e-5);
    expect(r.clipfracHigher + r.clipfracLower).toBe(0);
    const after = (await core.logprobs(h, batch, {})).logprobs;
    const sum = (a: Float32Array) => a.subarray(prompt.length).reduce((s, x) => s + x, 0);
    expect(sum(after)).toBeGreaterThan(sum(before));
    await core.dispose(h);
  });

  it.skipIf(skip)("policyLoss gives EasyR1's on-policy loss and gradient", async () => {
    const core = make();
    const logprobs = Float64Array.from([0, -1, -2, -0.5]);
    const r = await core.policyLoss(
      { batch: 1, seqLen: 4, logprobs, oldLogprobs: logprobs, advantages: Float64Array.from([0, 2, -1, 5]), mask: Uint8Array.from([0, 1, 1, 0]) },
      { ...grpo, useKlLoss: false, tokenNormalizer: 4 },
    );
    // A(ℓ) = −(2 − 1)/2; the share of 2 of 4 tokens halves loss and gradient, not the metrics.
    expect(r.pgLoss).toBeCloseTo(-0.5, 8);
    expect(r.loss).toBeCloseTo(-0.25, 8);
    expect(r.entropyLoss).toBeCloseTo(1.5, 7); // EasyR1 divides by Σm + 1e-8
    expect(Array.from(r.gradLogprobs).map((g) => Number(g.toFixed(8)))).toEqual([0, -0.5, 0.25, 0]);
  });

  it.skipIf(skip)("policyStep rejects mismatched per-token arrays and a missing refLogprobs", async () => {
    const core = make();
    const h = await init(core);
    await core.configureOptimizer(h, { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: [] });
    const good = onPolicyBatch([1, 2, 3, 4], 2, new Float32Array(4), 1);
    const short = await rejection(core.policyStep(h, { microBatches: [{ ...good, responseMask: good.responseMask.subarray(1) }], lr: 1e-2, loss: grpo }));
    expect(short.code).toBe("E_INVALID_ARGUMENT");
    expect(short.message).toMatch(/^Expected a Uint8Array of batch × seqLen = 4 entries for microBatches\[0\]\.responseMask/);
    const adv = await rejection(core.policyStep(h, { microBatches: [{ ...good, advantages: new Float32Array(5) }], lr: 1e-2, loss: grpo }));
    expect(adv.code).toBe("E_INVALID_ARGUMENT");
    expect(adv.message).toMatch(/microBatches\[0\]\.advantages/);
    const noRef = await rejection(core.policyStep(h, { microBatches: [{ ...good, refLogprobs: undefined }], lr: 1e-2, loss: grpo }));
    expect(noRef.code).toBe("E_INVALID_ARGUMENT");
    expect(noRef.message).toMatch(/refLogprobs/);
    // Without the KL term the reference log-probs are not needed.
    const r = await core.policyStep(h, { microBatches: [{ ...good, refLogprobs: undefined }], lr: 1e-2, loss: { ...grpo, useKlLoss: false } });
    expect(r.applied).toBe(true);
    const misaligned = await rejection(core.policyStep(h, { microBatches: [{ ...good, responseMask: Uint8Array.from([1, 0, 1, 1]) }], lr: 1e-2, loss: grpo }));
    expect(misaligned.code).toBe("E_INVALID_ARGUMENT");
    expect(misaligned.message).toMatch(/position 0/);
    await core.dispose(h);
  });

  it.skipIf(skip)("optimizer state round trip resumes identically", async () => {
    const core = make();
    const options = { lr: 2e-2, betas: [0.9, 0.95] as [number, number], eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1, freeze: [] };
    const batch = { inputIds: Int32Array.from([1, 2, 3, 4, 5, 6]), batch: 1, seqLen: 6, labels: Int32Array.from([-100, 2, 3, 4, 5, 6]) };
    const probe = { inputIds: Int32Array.from([1, 2, 3, 4, 5, 6]), batch: 1, seqLen: 6 };
    const path = join(mkdtempSync(join(tmpdir(), "roboalign-contract-opt-")), "optimizer.state");
    // Three runs from the same seed: the uninterrupted one, one whose optimizer is re-created and
    // restored from the saved state, and one re-created without it.
    const runs = await Promise.all([init(core), init(core), init(core)]);
    for (const h of runs) {
      await core.configureOptimizer(h, options);
      for (let i = 0; i < 3; i++) await core.sftStep(h, { microBatches: [batch], lr: 2e-2 });
    }
    const saved = await core.saveOptimizerState(runs[0], path);
    expect(saved.step).toBe(3);
    await core.configureOptimizer(runs[1], options);
    expect(await core.loadOptimizerState(runs[1], path)).toEqual(saved);
    await core.configureOptimizer(runs[2], options);
    for (const h of runs) for (let i = 0; i < 3; i++) await core.sftStep(h, { microBatches: [batch], lr: 2e-2 });
    const [uninterrupted, resumed, reset] = await Promise.all(runs.map(async (h) => (await core.forward(h, probe, {})).logits!));
    expect(Array.from(resumed)).toEqual(Array.from(uninterrupted));
    expect(Array.from(reset)).not.toEqual(Array.from(uninterrupted));
    const wider = await init(core, { ...config, vocabSize: 48 });
    await core.configureOptimizer(wider, options);
    expect((await rejection(core.loadOptimizerState(wider, path))).code).toBe("E_CHECKPOINT");
    expect((await rejection(core.loadOptimizerState(wider, `${path}.absent`))).code).toBe("E_FILE_NOT_FOUND");
    await Promise.all([...runs, wider].map((h) => core.dispose(h)));
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
