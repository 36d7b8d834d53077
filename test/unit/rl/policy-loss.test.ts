// The GRPO math away from the fixture: d loss / d log π against finite differences for every KL
// estimator, mode and clip region; masked garbage; errors (reference/grpo.md formulas (2), (6)–(13)).
import { describe, expect, it } from "vitest";
import {
  EASYR1_DEFAULTS,
  RlInputError,
  applyKlPenalty,
  grpoAdvantages,
  klEstimate,
  klEstimateGrad,
  policyLoss,
  responseMask,
  type KlPenalty,
  type PolicyLossInput,
} from "../../../src/rl/index.js";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomBatch(seed: number, batch = 6, seqLen = 9): PolicyLossInput {
  const r = rng(seed);
  const n = batch * seqLen;
  const mask = new Float64Array(n);
  for (let i = 0; i < batch; i++) {
    const len = 1 + Math.floor(r() * seqLen);
    mask.fill(1, i * seqLen, i * seqLen + len);
  }
  const old = Float64Array.from({ length: n }, () => -3 * r());
  // log-ratios spread over [-0.6, 0.6] so the ε clip, the dual clip and the unclipped region all occur.
  const logp = old.map((o) => o + 1.2 * (r() - 0.5));
  const ref = old.map((o) => o + (r() - 0.5));
  const perSample = Array.from({ length: batch }, () => 2 * (r() - 0.5));
  perSample[0] = -2.5; // large negative advantage: ratio > 3 would hit the dual clip
  logp[0] = old[0] + 1.3;
  const advantages = new Float64Array(n).map((_, j) => perSample[Math.floor(j / seqLen)] * mask[j]);
  return { batch, seqLen, logprobs: logp, oldLogprobs: old, refLogprobs: ref, advantages, mask };
}

describe("policyLoss gradient", () => {
  for (const klPenalty of ["low_var_kl", "kl", "abs", "mse"] as KlPenalty[]) {
    for (const lossAvgMode of ["token", "seq"] as const) {
      it(`matches central differences (${klPenalty}, ${lossAvgMode})`, () => {
        const input = randomBatch(klPenalty.length * 7 + lossAvgMode.length);
        const config = { klPenalty, lossAvgMode, klCoef: 0.3 };
        const r = policyLoss(input, config);
        expect(r.clipfracHigher).toBeGreaterThan(0);
        expect(r.clipfracLower).toBeGreaterThan(0);
        const lp = Float64Array.from(input.logprobs);
        const h = 1e-6;
        for (let j = 0; j < lp.length; j++) {
          const at = (x: number) => {
            const v = lp.slice();
            v[j] = x;
            return policyLoss({ ...input, logprobs: v }, config).loss;
          };
          const fd = (at(lp[j] + h) - at(lp[j] - h)) / (2 * h);
          expect(Math.abs(r.gradLogprobs[j] - fd)).toBeLessThan(1e-7);
          if (input.mask[j] === 0) expect(r.gradLogprobs[j]).toBe(0);
        }
      });
    }
  }

  it("scales loss and gradient by Σm/T with tokenNormalizer", () => {
    const input = randomBatch(3);
    const full = policyLoss(input);
    const T = 1000;
    const part = policyLoss({ ...input, tokenNormalizer: T });
    const tokens = Array.from(input.mask).reduce((s, m) => s + m, 0);
    expect(part.loss).toBeCloseTo((full.loss * tokens) / T, 15);
    expect(part.pgLoss).toBe(full.pgLoss);
    part.gradLogprobs.forEach((g, j) => expect(g).toBeCloseTo((full.gradLogprobs[j] * tokens) / T, 15));
  });

  it("ignores whatever sits on masked positions, NaN included", () => {
    const input = randomBatch(5);
    const clean = policyLoss(input);
    const dirty = (x: ArrayLike<number>) => Float64Array.from(x).map((v, j) => (input.mask[j] ? v : NaN));
    const r = policyLoss({ ...input, logprobs: dirty(input.logprobs), oldLogprobs: dirty(input.oldLogprobs), refLogprobs: dirty(input.refLogprobs!), advantages: dirty(input.advantages) });
    expect(r.loss).toBe(clean.loss);
    expect(Array.from(r.gradLogprobs)).toEqual(Array.from(clean.gradLogprobs));
  });

  it("says what is wrong with its input", () => {
    const input = randomBatch(1);
    expect(() => policyLoss({ ...input, mask: [1, 0] })).toThrow(/mask has 2 values, expected 54 \(batch 6 × seqLen 9\)/);
    expect(() => policyLoss({ ...input, refLogprobs: undefined })).toThrow(/useKlLoss is true but refLogprobs is missing/);
    expect(() => policyLoss(input, { klPenalty: "full" as KlPenalty })).toThrow(/unknown klPenalty "full"/);
    expect(() => policyLoss(input, { lossAvgMode: "seq-mean-token-sum" as "seq" })).toThrow(/unknown lossAvgMode/);
    expect(() => policyLoss({ ...input, tokenNormalizer: 0 })).toThrow(/tokenNormalizer 0 must be a positive number/);
    expect(() => policyLoss(input, { clipRatioLow: 1 })).toThrow(RlInputError);
    expect(EASYR1_DEFAULTS).toEqual({ clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3, klCoef: 0.01, klPenalty: "low_var_kl", useKlLoss: true, lossAvgMode: "token" });
  });

  it("gives 0 and no NaN for an empty micro-batch", () => {
    const r = policyLoss({ batch: 2, seqLen: 3, logprobs: [0, 0, 0, 0, 0, 0], oldLogprobs: [0, 0, 0, 0, 0, 0], refLogprobs: [0, 0, 0, 0, 0, 0], advantages: [0, 0, 0, 0, 0, 0], mask: [0, 0, 0, 0, 0, 0], tokenNormalizer: 10 });
    expect([r.loss, r.pgLoss, r.klLoss, r.ppoKl, r.entropyLoss]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe("KL estimators", () => {
  it("k3 is clamped and its gradient vanishes where a clamp is active", () => {
    expect(klEstimate(-1, -1, "low_var_kl")).toBe(0);
    expect(klEstimate(0, 30, "low_var_kl")).toBe(10); // e^20 − 21 clamped to 10
    expect(klEstimateGrad(0, 30, "low_var_kl")).toBe(0);
    expect(klEstimateGrad(0, 3, "low_var_kl")).toBe(0); // x = 3 inside [−20, 20] but e^3 − 4 ≈ 16.1 > 10
    // Where nothing clamps the gradient is 1 − e^x:
    expect(klEstimateGrad(0, 2, "low_var_kl")).toBeCloseTo(1 - Math.exp(2), 14);
    expect(klEstimate(-2, -1, "abs")).toBe(1);
    expect(klEstimateGrad(-1, -1, "abs")).toBe(0);
    expect(klEstimate(-2, -1, "mse")).toBe(0.5);
  });

  it("KL in the reward subtracts β·k(old, ref) on masked tokens only (formula (4))", () => {
    const scores = [0, 0, 1, 0];
    const r = applyKlPenalty({ batch: 1, seqLen: 4, tokenLevelScores: scores, oldLogprobs: [-1, -2, -3, 5], refLogprobs: [-1.5, -2, -2, 99], mask: [1, 1, 1, 0] }, 0.1, "kl");
    expect(Array.from(r.tokenLevelRewards)).toEqual([0 - 0.1 * 0.5, 0, 1 - 0.1 * -1, 0]);
    expect(r.currentKl).toBeCloseTo(-0.5 / 3, 8); // masked mean with EasyR1's 1e-8
  });
});

describe("klEstimateGrad matches a numerical derivative", () => {
  it.each(["low_var_kl", "kl", "abs", "mse"] as KlPenalty[])("%s", (p) => {
    for (const [lp, ref] of [[-1, -0.3], [-0.2, -2.5], [-4, -1]]) {
      const h = 1e-6;
      const fd = (klEstimate(lp + h, ref, p) - klEstimate(lp - h, ref, p)) / (2 * h);
      expect(klEstimateGrad(lp, ref, p)).toBeCloseTo(fd, 7);
    }
  });
});

describe("responseMask (formula (2))", () => {
  it("covers up to and including the first EOS; a response without EOS is all ones", () => {
    const EOS = 9;
    const PAD = 0;
    const ids = [5, 6, EOS, PAD, PAD, /**/ 5, 6, 7, 8, 4, /**/ EOS, EOS, PAD, PAD, PAD, /**/ 1, 2, 3, 4, EOS, /**/ 1, 7, PAD, PAD, PAD];
    const r = responseMask(ids, 5, 5, [EOS, 7]);
    expect(Array.from(r.lengths)).toEqual([3, 3, 1, 5, 2]);
    expect(Array.from(r.truncated)).toEqual([0, 0, 0, 0, 0]);
    const one = responseMask(ids, 5, 5, EOS);
    expect(Array.from(one.lengths)).toEqual([3, 5, 1, 5, 5]);
    expect(Array.from(one.truncated)).toEqual([0, 1, 0, 0, 1]);
    expect(Array.from(one.mask.subarray(0, 5))).toEqual([1, 1, 1, 0, 0]);
    expect(() => responseMask(ids, 5, 4, EOS)).toThrow(/responses has 25 values, expected 20/);
    expect(() => responseMask(ids, 5, 5, [])).toThrow(/no EOS id given/);
  });
});

describe("grpoAdvantages input checks", () => {
  it("asserts n > 1 and a batch that splits into groups", () => {
    expect(() => grpoAdvantages([1, 0, 1], ["a", "a", "b"])).toThrow(/group "b" has 1; set rollout n > 1/);
    expect(() => grpoAdvantages([1, 0, 1], 2)).toThrow(/3 responses do not split into groups of 2/);
    expect(() => grpoAdvantages([1, 0], 1)).toThrow(/group 0 has 1/);
    expect(() => grpoAdvantages([1, NaN], 2)).toThrow(/score NaN of response 1 is not a number/);
    expect(() => grpoAdvantages([1, 0], ["a"])).toThrow(/group ids has 1 values, expected 2/);
  });

  it("groups by id wherever the responses sit", () => {
    const a = grpoAdvantages([1, 0, 0.5, 0.5], ["x", "y", "x", "y"], { precision: "float64" });
    expect(a.groups.map((g) => g.key)).toEqual(["x", "y"]);
    expect(a.perSample[0]).toBeCloseTo(0.25 / (Math.sqrt(0.125) + 1e-6), 12);
    expect(a.perSample[2]).toBeCloseTo(-0.25 / (Math.sqrt(0.125) + 1e-6), 12);
  });
});
