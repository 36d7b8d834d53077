// The native GR00T N1.5 action head against the PyTorch reference (test/fixtures/gr00t, written by
// scripts/reference/gr00t_head_reference.py): predicted velocity, masked flow-matching loss and
// gradients at fixed t/noise, Euler samples — with and without the VL key mask — then training on
// a tiny synthetic dataset, seeded time sampling, save → load round trips and error codes.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSafetensorsHeader } from "../../src/model/safetensors.js";
import type { ActionHeadBatch, ActionHeadConfig, ActionHeadHandle, ActionHeadPresetName, NativeCore } from "../../src/native/contract.js";
import { checkedCore, getNativeCore } from "../../src/native/core.js";
import { createMockCore } from "../../src/native/mock-core.js";
import { ADDON_MISSING, hasAddon, repoRoot } from "../helpers/paths.js";
import { maxAbs, maxAbsDiff, readTensors, type Tensor } from "../helpers/tensors.js";

const fixtures = join(repoRoot, "test", "fixtures", "gr00t");
const REL = 1e-5;

/** max |a − ref| ≤ rel · max |ref|; returns the relative difference for the report. */
function expectRel(actual: ArrayLike<number>, ref: ArrayLike<number>, what: string, rel = REL): number {
  const d = maxAbsDiff(actual, ref) / Math.max(maxAbs(ref), 1e-12);
  expect(d, `${what}: max |diff| / max |ref| = ${d.toExponential(2)}`).toBeLessThanOrEqual(rel);
  return d;
}

const f32 = (t: Tensor) => Float32Array.from(t.data);

/**
 * Exact resume of head training: three heads from one seed train 3 steps; the state of the first is
 * saved and restored into the second's fresh optimizer, the third gets none; 3 more steps each.
 */
async function checkHeadOptimizerResume(core: NativeCore): Promise<void> {
  const c = { ...core.actionHeadPreset("tiny"), dropout: 0 };
  const B = 2;
  const data: ActionHeadBatch = {
    batch: B,
    vlLen: 2,
    features: Float32Array.from({ length: B * 2 * c.backboneFeatureDim }, (_, i) => Math.sin(i)),
    state: Float32Array.from({ length: B * 3 }, (_, i) => Math.cos(i)),
    actions: Float32Array.from({ length: B * c.actionHorizon * 4 }, (_, i) => 0.5 * Math.sin(0.3 * i)),
    embodimentId: 0,
  };
  const options = { lr: 1e-2, betas: [0.95, 0.999] as [number, number], eps: 1e-8, weightDecay: 1e-5, maxGradNorm: 1, freeze: [] };
  const path = join(mkdtempSync(join(tmpdir(), "gr00t-opt-")), "optimizer.bin");
  const heads = await Promise.all([0, 1, 2].map(() => core.initActionHead({ config: c, device: "cpu", dtype: "float32", seed: 4 })));
  try {
    for (const h of heads) {
      await core.configureActionHeadOptimizer(h, options);
      for (let s = 1; s <= 3; s++) await core.actionHeadTrainStep(h, data, { lr: 1e-2, seed: s });
    }
    const saved = await core.saveActionHeadOptimizerState(heads[0], path);
    expect(saved.step).toBe(3);
    await core.configureActionHeadOptimizer(heads[1], options);
    expect(await core.loadActionHeadOptimizerState(heads[1], path)).toEqual(saved);
    await core.configureActionHeadOptimizer(heads[2], options);
    for (const h of heads) for (let s = 4; s <= 6; s++) await core.actionHeadTrainStep(h, data, { lr: 1e-2, seed: s });
    const opts = { t: Float32Array.from([0.3, 0.7]), noise: Float32Array.from({ length: B * c.actionHorizon * c.actionDim }, (_, i) => Math.cos(0.1 * i)) };
    const [a, b, d] = await Promise.all(heads.map(async (h) => Array.from((await core.actionHeadForward(h, data, opts)).velocity)));
    expect(b).toEqual(a);
    expect(d).not.toEqual(a);
    await expect(core.loadActionHeadOptimizerState(heads[2], `${path}.absent`)).rejects.toMatchObject({ code: "E_FILE_NOT_FOUND" });
  } finally {
    await Promise.all(heads.map((h) => core.disposeActionHead(h)));
  }
}

describe.skipIf(!hasAddon)(`GR00T action head${hasAddon ? "" : ` — skipped: ${ADDON_MISSING}`}`, () => {
  const core = hasAddon ? getNativeCore() : (undefined as never);
  const config = JSON.parse(readFileSync(join(fixtures, "config.json"), "utf8")) as ActionHeadConfig;
  const summary = JSON.parse(readFileSync(join(fixtures, "summary.json"), "utf8")) as { grad_names: string[]; batch: number; vl_len: number };
  let ref: Map<string, Tensor>;
  let batch: ActionHeadBatch;
  const worst: Record<string, number> = {};

  beforeAll(() => {
    ref = readTensors(join(fixtures, "cases.safetensors"));
    batch = {
      batch: summary.batch,
      vlLen: summary.vl_len,
      features: f32(ref.get("features")!),
      attentionMask: Uint8Array.from(ref.get("attention_mask")!.data),
      state: f32(ref.get("state")!),
      actions: f32(ref.get("actions")!),
      actionMask: Uint8Array.from(ref.get("action_mask")!.data),
      embodimentId: Int32Array.from(ref.get("embodiment_id")!.data),
    };
  });
  afterAll(() => {
    if (Object.keys(worst).length) console.log("max relative difference vs PyTorch:", JSON.stringify(worst, null, 1));
  });

  const load = (useVlMask: boolean) =>
    core.loadActionHead({ config: { ...config, useVlMask }, weights: readSafetensorsHeader(join(fixtures, "weights.safetensors")), device: "cpu", dtype: "float32" });

  it("exposes the presets of the reference", () => {
    const n15 = core.actionHeadPreset("gr00t-n1.5");
    expect(n15).toMatchObject({ actionDim: 32, actionHorizon: 16, maxStateDim: 64, inputEmbeddingDim: 1536, hiddenSize: 1024, backboneEmbeddingDim: 2048 });
    expect(n15).toMatchObject({ ditNumLayers: 16, ditNumHeads: 32, ditHeadDim: 48, vlNumLayers: 4, vlNumHeads: 32, vlHeadDim: 64, numTargetVisionTokens: 32 });
    expect(n15).toMatchObject({ noiseBetaAlpha: 1.5, noiseBetaBeta: 1, noiseS: 0.999, numTimestepBuckets: 1000, numInferenceTimesteps: 4, maxNumEmbodiments: 32 });
    // The fixture is the tiny preset with a wider backbone (so the projection is exercised).
    expect({ ...core.actionHeadPreset("tiny"), backboneFeatureDim: 56 }).toEqual(config);
  });

  for (const masked of [false, true]) {
    const sfx = masked ? "_masked" : "";
    it(`matches velocity, loss, gradients and Euler samples${masked ? " with the VL key mask" : " (GR00T-faithful, mask ignored)"}`, async () => {
      const h = await load(masked);
      try {
        const t = f32(ref.get("t")!);
        const noise = f32(ref.get("noise")!);
        const fwd = await core.actionHeadForward(h, batch, { t, noise });
        expect(fwd.shape).toEqual([3, 4, 8]);
        worst[`velocity${sfx}`] = expectRel(fwd.velocity, ref.get(`velocity${sfx}`)!.data, "velocity");

        const l = await core.actionHeadLoss(h, batch, { t, noise });
        const refLoss = ref.get(`loss${sfx}`)!.data[0];
        worst[`loss${sfx}`] = Math.abs(l.loss - refLoss) / Math.abs(refLoss);
        expect(worst[`loss${sfx}`]).toBeLessThanOrEqual(REL);

        const g = await core.actionHeadGradients(h, batch, { t, noise, names: summary.grad_names });
        expect(Object.keys(g.grads).sort()).toEqual([...summary.grad_names].sort());
        expect(Math.abs(g.loss - refLoss) / refLoss).toBeLessThanOrEqual(REL);
        let gw = 0;
        for (const name of summary.grad_names) gw = Math.max(gw, expectRel(g.grads[name], ref.get(`grad${sfx}.${name}`)!.data, `grad ${name}`));
        worst[`gradients${sfx}`] = gw;

        const x0 = f32(ref.get("x0")!);
        for (const steps of [4, 8]) {
          const s = await core.actionHeadSample(h, { ...batch, actions: undefined, actionMask: undefined }, { noise: x0, numSteps: steps });
          expect(s.shape).toEqual([3, 4, 8]);
          worst[`sample${sfx}_${steps}`] = expectRel(s.actions, ref.get(`sample${sfx}_${steps}`)!.data, `sample ${steps} steps`);
        }
        // The default number of steps is the config's (4).
        const d = await core.actionHeadSample(h, batch, { noise: x0 });
        expect(maxAbsDiff(d.actions, ref.get(`sample${sfx}_4`)!.data)).toBeLessThanOrEqual(REL * maxAbs(ref.get(`sample${sfx}_4`)!.data));
      } finally {
        await core.disposeActionHead(h);
      }
    });
  }

  it("draws t from the shifted Beta(1.5, 1) and reproduces a seed", async () => {
    const tiny = core.actionHeadPreset("tiny");
    const h = await core.initActionHead({ config: tiny, device: "cpu", dtype: "float32", seed: 1 });
    try {
      const B = 2000;
      const big: ActionHeadBatch = {
        batch: B,
        vlLen: 1,
        features: new Float32Array(B * tiny.backboneFeatureDim).fill(0.1),
        state: new Float32Array(B * tiny.maxStateDim),
        actions: new Float32Array(B * tiny.actionHorizon * tiny.actionDim),
        embodimentId: 0,
      };
      const a = await core.actionHeadLoss(h, big, { seed: 7 });
      const b = await core.actionHeadLoss(h, big, { seed: 7 });
      expect(Array.from(b.t)).toEqual(Array.from(a.t));
      const t = Array.from(a.t);
      const mean = t.reduce((s, x) => s + x, 0) / B;
      // E[t] = (0.999 − 0.6)/0.999 ≈ 0.3994; P(t < 0.5) = P(u > 0.4995) = 1 − 0.4995^1.5 ≈ 0.647.
      expect(Math.abs(mean - 0.3994)).toBeLessThan(0.015);
      expect(Math.abs(t.filter((x) => x < 0.5).length / B - 0.647)).toBeLessThan(0.03);
      expect(Math.min(...t)).toBeGreaterThan(-0.001);
      expect(Math.max(...t)).toBeLessThanOrEqual(1);
      const few = { ...big, batch: 4, features: big.features.subarray(0, 4 * tiny.backboneFeatureDim), state: big.state.subarray(0, 4 * tiny.maxStateDim), actions: undefined };
      const s1 = await core.actionHeadSample(h, few, { seed: 3 });
      const s2 = await core.actionHeadSample(h, few, { seed: 3 });
      const s3 = await core.actionHeadSample(h, few, { seed: 4 });
      expect(maxAbsDiff(s1.actions, s2.actions)).toBe(0);
      expect(maxAbsDiff(s1.actions, s3.actions)).toBeGreaterThan(0);
    } finally {
      await core.disposeActionHead(h);
    }
  });

  it("lowers the flow-matching loss on a tiny synthetic dataset", async () => {
    // Without dropout: at this size, dropout 0.2 drowns the signal of a few hundred steps.
    const c = { ...core.actionHeadPreset("tiny"), dropout: 0 };
    const h = await core.initActionHead({ config: c, device: "cpu", dtype: "float32", seed: 11 });
    try {
      // 4 "tasks": each has its own VL features and state, and a smooth action chunk of 7 dims.
      const B = 8, L = 3, T = c.actionHorizon, A = 7;
      const data: ActionHeadBatch = { batch: B, vlLen: L, features: new Float32Array(B * L * c.backboneFeatureDim), state: new Float32Array(B * 5), actions: new Float32Array(B * T * A), embodimentId: 0 };
      for (let r = 0; r < B; r++) {
        const task = r % 4;
        for (let i = 0; i < L * c.backboneFeatureDim; i++) data.features[r * L * c.backboneFeatureDim + i] = Math.sin(0.7 * i + 1.3 * task);
        for (let i = 0; i < 5; i++) data.state[r * 5 + i] = Math.cos(i + task);
        for (let k = 0; k < T; k++) for (let j = 0; j < A; j++) data.actions![(r * T + k) * A + j] = 0.8 * Math.sin(0.5 * k + j + 1.7 * task);
      }
      const evalLoss = async () => {
        let s = 0;
        for (const seed of [101, 102, 103, 104]) s += (await core.actionHeadLoss(h, data, { seed })).loss;
        return s / 4;
      };
      await core.configureActionHeadOptimizer(h, { lr: 3e-3, betas: [0.95, 0.999], eps: 1e-8, weightDecay: 1e-5, maxGradNorm: 1, freeze: [] });
      const curve: number[] = [await evalLoss()];
      for (let step = 1; step <= 240; step++) {
        const r = await core.actionHeadTrainStep(h, data, { lr: 3e-3, seed: step });
        expect(r.applied).toBe(true);
        expect(Number.isFinite(r.gradNorm)).toBe(true);
        if (step % 40 === 0) curve.push(await evalLoss());
      }
      console.log("synthetic loss curve (eval loss every 40 steps):", curve.map((x) => x.toFixed(4)).join(" → "));
      expect(curve.at(-1)!).toBeLessThan(0.8 * curve[0]);
    } finally {
      await core.disposeActionHead(h);
    }
  });

  it("saves and loads back bit-identically", async () => {
    const c = { ...core.actionHeadPreset("tiny"), backboneFeatureDim: 56 };
    const h = await core.initActionHead({ config: c, device: "cpu", dtype: "float32", seed: 5 });
    const dir = mkdtempSync(join(tmpdir(), "gr00t-"));
    try {
      const saved = await core.saveActionHead(h, { dir: join(dir, "a"), dtype: "float32" });
      expect(saved.files).toEqual(["model.safetensors"]);
      expect(Object.keys(saved.weightMap)).toContain("backbone.eagle_linear.weight");
      expect(Object.keys(saved.weightMap)).toContain("action_head.model.transformer_blocks.0.attn1.to_out.0.weight");
      const info = core.actionHeadInfo(h);
      expect(info.numParameters).toBe(saved.totalBytes / 4);
      // The config travels as JSON beside the weights.
      writeFileSync(join(dir, "a", "config.json"), JSON.stringify(info.config, null, 2));
      const config = JSON.parse(readFileSync(join(dir, "a", "config.json"), "utf8")) as ActionHeadConfig;
      expect(config).toEqual(c);
      const back = await core.loadActionHead({ config, weights: readSafetensorsHeader(join(dir, "a", "model.safetensors")), device: "cpu", dtype: "float32" });
      try {
        await core.saveActionHead(back, { dir: join(dir, "b"), dtype: "float32" });
        expect(readFileSync(join(dir, "b", "model.safetensors")).equals(readFileSync(join(dir, "a", "model.safetensors")))).toBe(true);
        const x = { ...batch, features: f32(ref.get("features")!) };
        const opts = { t: f32(ref.get("t")!), noise: f32(ref.get("noise")!) };
        const v1 = await core.actionHeadForward(h, x, opts);
        const v2 = await core.actionHeadForward(back, x, opts);
        expect(maxAbsDiff(v1.velocity, v2.velocity)).toBe(0);
      } finally {
        await core.disposeActionHead(back);
      }
    } finally {
      await core.disposeActionHead(h);
    }
  });

  it("resumes training exactly from a saved optimizer state", () => checkHeadOptimizerResume(core));

  it("fails with typed errors", async () => {
    const c = core.actionHeadPreset("tiny");
    const h: ActionHeadHandle = await core.initActionHead({ config: c, device: "cpu", dtype: "float32", seed: 2 });
    const narrow = { ...batch, features: new Float32Array(3 * 5 * 7) };
    await expect(core.actionHeadForward(h, narrow, { t: f32(ref.get("t")!), noise: f32(ref.get("noise")!) })).rejects.toMatchObject({ code: "E_SHAPE" });
    await expect(core.actionHeadTrainStep(h, { ...batch, features: new Float32Array(3 * 5 * c.backboneFeatureDim) }, { lr: 1e-3, seed: 1 })).rejects.toMatchObject({
      code: "E_INVALID_ARGUMENT",
      message: expect.stringContaining("configureActionHeadOptimizer"),
    });
    await expect(core.loadActionHead({ config: c, weights: readSafetensorsHeader(join(fixtures, "weights.safetensors")), device: "cpu", dtype: "float32" })).rejects.toMatchObject({
      code: "E_CHECKPOINT",
    });
    expect(() => core.actionHeadPreset("huge" as ActionHeadPresetName)).toThrow(/unknown action head preset/);
    await core.disposeActionHead(h);
    await expect(core.actionHeadSample(h, batch, { seed: 1 })).rejects.toMatchObject({ code: "E_DISPOSED" });
  });
});

// The mock core's action head (a linear velocity field) honours the same surface: it learns,
// round-trips through safetensors and fails with the same codes.
describe("mock core action head", () => {
  const core = checkedCore(createMockCore());

  it("resumes training exactly from a saved optimizer state", () => checkHeadOptimizerResume(core));

  it("learns, samples reproducibly and round-trips", async () => {
    const c = core.actionHeadPreset("tiny");
    const h = await core.initActionHead({ config: c, device: "cpu", dtype: "float32", seed: 3 });
    const B = 4, T = c.actionHorizon;
    const data: ActionHeadBatch = {
      batch: B,
      vlLen: 2,
      features: Float32Array.from({ length: B * 2 * c.backboneFeatureDim }, (_, i) => Math.sin(i)),
      state: Float32Array.from({ length: B * 3 }, (_, i) => Math.cos(i)),
      actions: Float32Array.from({ length: B * T * 5 }, (_, i) => 0.5 * Math.sin(0.3 * i)),
      embodimentId: 0,
    };
    const before = (await core.actionHeadLoss(h, data, { seed: 9 })).loss;
    await core.configureActionHeadOptimizer(h, { lr: 1e-2, betas: [0.95, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: [] });
    for (let s = 1; s <= 60; s++) expect((await core.actionHeadTrainStep(h, data, { lr: 1e-2, seed: s })).applied).toBe(true);
    expect((await core.actionHeadLoss(h, data, { seed: 9 })).loss).toBeLessThan(before);
    const s1 = await core.actionHeadSample(h, data, { seed: 1 });
    expect(s1.shape).toEqual([B, T, c.actionDim]);
    expect(Array.from((await core.actionHeadSample(h, data, { seed: 1 })).actions)).toEqual(Array.from(s1.actions));
    const dir = mkdtempSync(join(tmpdir(), "gr00t-mock-"));
    await core.saveActionHead(h, { dir, dtype: "float32" });
    const back = await core.loadActionHead({ config: c, weights: readSafetensorsHeader(join(dir, "model.safetensors")), device: "cpu", dtype: "float32" });
    expect(Array.from((await core.actionHeadSample(back, data, { seed: 1 })).actions)).toEqual(Array.from(s1.actions));
    await expect(core.actionHeadForward(h, { ...data, features: new Float32Array(B * 2 * 3) }, { t: new Float32Array(B), noise: new Float32Array(B * T * c.actionDim) })).rejects.toMatchObject({ code: "E_SHAPE" });
    await core.disposeActionHead(h);
    await expect(core.actionHeadSample(h, data, { seed: 1 })).rejects.toMatchObject({ code: "E_DISPOSED" });
    await expect(core.actionHeadSample(back, data, {})).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT" });
    await core.disposeActionHead(back);
  });
});
