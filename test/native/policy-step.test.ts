// The native GRPO update on a tiny model: exact accumulation over micro-batches (formula (13)),
// learning direction, the rollout temperature, images, and the guard against non-finite steps.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelPreset, textPreset } from "../../src/model/presets.js";
import type { ModelHandle, NativeCore, PolicyBatch, PolicyLossOptions, TextModelConfig } from "../../src/native/contract.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon } from "../helpers/paths.js";
import { readTensors } from "../helpers/tensors.js";

const lossOptions: PolicyLossOptions = { clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3, klCoef: 0.01, klPenalty: "low_var_kl", useKlLoss: true, lossAvgMode: "token", temperature: 1 };
const optimizer = { lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1, freeze: [] };

interface Rollout {
  ids: number[];
  promptLen: number;
}

/** Right-padded batch of rollouts; responseMask marks the response tokens, aligned like `logprobs`. */
function policyBatch(rs: Rollout[], per: (row: number, t: number) => { adv: number; oldShift: number; refShift: number }, logprobs: Float32Array, seqLen: number): PolicyBatch {
  const n = rs.length * seqLen;
  const b: PolicyBatch = {
    inputIds: new Int32Array(n),
    attentionMask: new Uint8Array(n),
    batch: rs.length,
    seqLen,
    responseMask: new Uint8Array(n),
    advantages: new Float32Array(n),
    oldLogprobs: new Float32Array(n),
    refLogprobs: new Float32Array(n),
  };
  rs.forEach((r, row) => {
    r.ids.forEach((id, t) => {
      const i = row * seqLen + t;
      b.inputIds[i] = id;
      b.attentionMask![i] = 1;
      if (t < r.promptLen) return;
      const p = per(row, t);
      b.responseMask[i] = 1;
      b.advantages[i] = p.adv;
      b.oldLogprobs[i] = logprobs[i] + p.oldShift;
      b.refLogprobs![i] = logprobs[i] + p.refShift;
    });
  });
  return b;
}

/** Rows [from, to) of a batch, trimmed to their own longest row. */
function rows(b: PolicyBatch, from: number, to: number, lengths: number[]): PolicyBatch {
  const seqLen = Math.max(...lengths.slice(from, to));
  const pick = <T extends Int32Array | Uint8Array | Float32Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)((to - from) * seqLen);
    for (let r = from; r < to; r++) out.set(a.subarray(r * b.seqLen, r * b.seqLen + seqLen), (r - from) * seqLen);
    return out;
  };
  return {
    inputIds: pick(b.inputIds),
    attentionMask: pick(b.attentionMask!),
    batch: to - from,
    seqLen,
    responseMask: pick(b.responseMask),
    advantages: pick(b.advantages),
    oldLogprobs: pick(b.oldLogprobs),
    refLogprobs: pick(b.refLogprobs!),
  };
}

async function weights(core: NativeCore, h: ModelHandle): Promise<Map<string, Float64Array>> {
  const dir = mkdtempSync(join(tmpdir(), "roboalign-policy-"));
  await core.save(h, { dir, dtype: "float32", maxShardBytes: 1e10 });
  return new Map([...readTensors(join(dir, "model.safetensors"))].map(([k, t]) => [k, t.data]));
}

function maxWeightDiff(a: Map<string, Float64Array>, b: Map<string, Float64Array>): number {
  let worst = 0;
  for (const [k, x] of a) b.get(k)!.forEach((y, i) => (worst = Math.max(worst, Math.abs(x[i] - y))));
  return worst;
}

async function sample(core: NativeCore, h: ModelHandle, prompts: number[][], maxNew: number, seed: number, temperature = 1): Promise<Rollout[]> {
  const r = await core.generate(h, {
    promptIds: Int32Array.from(prompts.flat()),
    promptOffsets: Int32Array.from(prompts.reduce((o, p) => [...o, o[o.length - 1] + p.length], [0])),
    maxNewTokens: Int32Array.from(prompts.map((_, i) => maxNew - 2 * i)),
    temperature,
    seed,
  });
  return prompts.map((p, i) => ({ ids: [...p, ...r.ids.subarray(r.offsets[i], r.offsets[i + 1])], promptLen: p.length }));
}

describe.skipIf(!hasAddon)(`GRPO policy step${hasAddon ? "" : ` — skipped: ${ADDON_MISSING}`}`, () => {
  const core = hasAddon ? getNativeCore() : (undefined as never);
  const config: TextModelConfig = textPreset("tiny-text");
  const init = (seed = 5) => core.initModel({ config, device: "cpu", dtype: "float32", seed });

  it("accumulates two micro-batches into exactly the one-batch step (token mode)", async () => {
    const a = await init();
    const b = await init();
    const rs = await sample(core, a, [[11, 12, 13, 14], [21, 22, 23]], 9, 3);
    const lengths = rs.map((r) => r.ids.length);
    const seqLen = Math.max(...lengths);
    const flat = rs.map((r) => [...r.ids, ...Array(seqLen - r.ids.length).fill(0)]).flat();
    const lp = (await core.logprobs(a, { inputIds: Int32Array.from(flat), attentionMask: Uint8Array.from(rs.flatMap((r) => [...Array(seqLen)].map((_, t) => (t < r.ids.length ? 1 : 0)))), batch: 2, seqLen }, {})).logprobs;
    // Off-policy enough that both clips act: old log-probs shifted by ±0.4 on alternate tokens.
    const full = policyBatch(rs, (row, t) => ({ adv: row === 0 ? 1.2 : -0.7, oldShift: t % 2 ? 0.4 : -0.4, refShift: 0.3 }), lp, seqLen);
    // AdamW with eps 1 and no decay makes the first update −lr·g/(|g| + 1): smooth in the gradient,
    // so weight differences measure gradient differences (eps 1e-8 would turn rounding noise on
    // near-zero gradients into sign flips of a whole step).
    const linear = { ...optimizer, eps: 1, weightDecay: 0 };
    for (const h of [a, b]) await core.configureOptimizer(h, linear);
    const initial = await weights(core, a);
    const one = await core.policyStep(a, { microBatches: [full], lr: 1, loss: lossOptions });
    const two = await core.policyStep(b, { microBatches: [rows(full, 0, 1, lengths), rows(full, 1, 2, lengths)], lr: 1, loss: lossOptions });
    expect(one.applied && two.applied).toBe(true);
    expect(two.tokens).toBe(one.tokens);
    expect(one.tokens).toBe(lengths[0] - 4 + lengths[1] - 3);
    expect(one.clipfracHigher + one.clipfracLower).toBeGreaterThan(0);
    for (const k of ["loss", "pgLoss", "klLoss", "ppoKl", "entropyLoss", "clipfracHigher", "clipfracLower", "gradNorm"] as const) {
      expect(Math.abs(two[k] - one[k]), k).toBeLessThan(1e-6 * Math.max(1, Math.abs(one[k])));
    }
    // Same update up to float32 summation order.
    const wa = await weights(core, a);
    const update = maxWeightDiff(initial, wa);
    const diff = maxWeightDiff(wa, await weights(core, b));
    console.log(`policy step, 1 vs 2 micro-batches: |Δloss| ${Math.abs(two.loss - one.loss).toExponential(2)}, max |Δweight| ${diff.toExponential(2)} of a max update ${update.toExponential(2)}`);
    expect(update).toBeGreaterThan(1e-4);
    expect(diff).toBeLessThan(1e-5 * update);
    await Promise.all([core.dispose(a), core.dispose(b)]);
  });

  it("raises the log-prob of a positively-advantaged sampled response (ratio 1, temperature applied)", async () => {
    const h = await init(9);
    const temperature = 0.8;
    const [r] = await sample(core, h, [[31, 32, 33]], 8, 4, temperature);
    const batch = { inputIds: Int32Array.from(r.ids), batch: 1, seqLen: r.ids.length };
    const before = (await core.logprobs(h, batch, { temperature })).logprobs;
    const pb = policyBatch([r], () => ({ adv: 1, oldShift: 0, refShift: 0 }), before, r.ids.length);
    await core.configureOptimizer(h, { ...optimizer, lr: 1e-2 });
    const step = await core.policyStep(h, { microBatches: [pb], lr: 1e-2, loss: { ...lossOptions, temperature } });
    expect(step.applied).toBe(true);
    // On-policy: ratio 1, no clipping, KL 0; pg loss = −mean Â = −1; entropy = −mean log π.
    expect(Math.abs(step.ppoKl)).toBeLessThan(1e-6);
    expect(step.clipfracHigher + step.clipfracLower).toBe(0);
    expect(Math.abs(step.loss + 1)).toBeLessThan(1e-6);
    const resp = Array.from(before.subarray(r.promptLen));
    expect(Math.abs(step.entropyLoss + resp.reduce((s, x) => s + x, 0) / resp.length)).toBeLessThan(1e-5);
    const after = (await core.logprobs(h, batch, { temperature })).logprobs;
    const sum = (a: Float32Array) => a.subarray(r.promptLen).reduce((s, x) => s + x, 0);
    expect(sum(after)).toBeGreaterThan(sum(before) + 0.05);
    await core.dispose(h);
  });

  it("trains through images: the on-policy ratio is 1 on a Qwen2.5-VL micro-batch", async () => {
    const { text, vision } = modelPreset("tiny");
    const imageTokenId = 1000;
    const h = await core.initModel({ config: text, vision: { config: vision!, imageTokenId }, device: "cpu", dtype: "float32", seed: 2 });
    const patchDim = vision!.inChannels * vision!.temporalPatchSize * vision!.patchSize ** 2;
    const pixelValues = Float32Array.from({ length: 16 * patchDim }, (_, i) => Math.sin(i * 0.37));
    const ids = [5, 1000, 1000, 1000, 1000, 7, 8, 9, 10, 11, 12];
    const batch = { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length, pixelValues, imageGridThw: Int32Array.from([1, 4, 4]) };
    const lp = (await core.logprobs(h, batch, {})).logprobs;
    const pb = { ...batch, ...policyBatch([{ ids, promptLen: 7 }], () => ({ adv: 0.5, oldShift: 0, refShift: 0 }), lp, ids.length), pixelValues, imageGridThw: batch.imageGridThw };
    await core.configureOptimizer(h, { ...optimizer, freeze: ["visual.*"] });
    const step = await core.policyStep(h, { microBatches: [pb], lr: 1e-3, loss: lossOptions });
    expect(step.applied).toBe(true);
    expect(step.tokens).toBe(4);
    expect(Math.abs(step.ppoKl)).toBeLessThan(1e-6);
    await core.dispose(h);
  });

  it("skips a step with non-finite advantages and leaves the weights untouched", async () => {
    const h = await init(13);
    const [r] = await sample(core, h, [[41, 42]], 6, 8);
    const lp = (await core.logprobs(h, { inputIds: Int32Array.from(r.ids), batch: 1, seqLen: r.ids.length }, {})).logprobs;
    await core.configureOptimizer(h, optimizer);
    const before = await weights(core, h);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const pb = policyBatch([r], (_, t) => ({ adv: t === r.promptLen + 1 ? bad : 1, oldShift: 0, refShift: 0 }), lp, r.ids.length);
      const step = await core.policyStep(h, { microBatches: [pb], lr: 1e-3, loss: lossOptions });
      expect(step.applied).toBe(false);
    }
    expect(maxWeightDiff(before, await weights(core, h))).toBe(0);
    // The optimizer is still usable afterwards.
    const ok = await core.policyStep(h, { microBatches: [policyBatch([r], () => ({ adv: 1, oldShift: 0, refShift: 0 }), lp, r.ids.length)], lr: 1e-3, loss: lossOptions });
    expect(ok.applied).toBe(true);
    await core.dispose(h);
  });

  it("rejects misaligned masks and a missing optimizer natively", async () => {
    const h = await init(17);
    const ids = [1, 2, 3, 4];
    const pb = policyBatch([{ ids, promptLen: 2 }], () => ({ adv: 1, oldShift: 0, refShift: 0 }), new Float32Array(4), 4);
    await expect(core.policyStep(h, { microBatches: [pb], lr: 1e-3, loss: lossOptions })).rejects.toThrow(/configureOptimizer/);
    await core.configureOptimizer(h, optimizer);
    const first = { ...pb, responseMask: Uint8Array.from([1, 0, 1, 1]) };
    await expect(core.policyStep(h, { microBatches: [first], lr: 1e-3, loss: lossOptions })).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT", message: /position 0/ });
    const padded = { ...pb, attentionMask: Uint8Array.from([1, 1, 1, 0]) };
    await expect(core.policyStep(h, { microBatches: [padded], lr: 1e-3, loss: lossOptions })).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT", message: /padding/ });
    const none = { ...pb, responseMask: new Uint8Array(4) };
    await expect(core.policyStep(h, { microBatches: [none], lr: 1e-3, loss: lossOptions })).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT", message: /no response token/ });
    await core.dispose(h);
  });
});
