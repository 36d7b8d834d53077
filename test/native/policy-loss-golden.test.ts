// The native GRPO loss (native/src/train/policy_loss) against the EasyR1 golden fixture
// (shared/fixtures/grpo/grpo_easyr1_golden.json, reference/grpo.md §7.1): loss, metrics and
// d loss / d log π of every variant, in float64, and the micro-batch shares of formula (13).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyLossCheckOptions, PolicyLossCheckResult, PolicyLossInputs } from "../../src/native/contract.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon, hasShared, SHARED_MISSING, sharedDir } from "../helpers/paths.js";

interface Variant {
  config: { mode: "token" | "seq"; use_kl_loss: boolean };
  pg_loss: number;
  kl_loss: number | null;
  loss: number;
  metrics: { ppo_kl: number; entropy_loss: number; pg_clipfrac_higher: number; pg_clipfrac_lower: number };
  grad_loss_wrt_log_probs: number[][];
}

interface Golden {
  defaults: { clip_ratio_low: number; clip_ratio_high: number; clip_ratio_dual: number; kl_coef: number };
  batch: { response_mask: number[][]; old_log_probs: number[][]; log_probs: number[][]; ref_log_probs: number[][] };
  advantages: { per_token: number[][]; kl_in_reward_low_var_kl_per_sample: number[]; kl_in_reward_k1_per_sample: number[] };
  variants: Record<string, Variant>;
  microbatch: { splits: [number, number][]; token_mode: MicroModes; seq_mode: MicroModes };
}
interface MicroModes {
  effective_loss: number;
  parts: { range: [number, number]; micro_loss: number; tokens: number; scaled: number }[];
}

const skip = !hasAddon || !hasShared;
const reason = !hasAddon ? ADDON_MISSING : SHARED_MISSING;
const relTol = 1e-9;

// The fixture's inputs are float32 values printed with 12 digits: round them back (≤ 5e-12 apart).
const f32 = (rows: number[][]) => Float64Array.from(rows.flat(), (x) => Math.fround(x));
const rel = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-12);

describe.skipIf(skip)(`GRPO policy loss vs the EasyR1 golden fixture${skip ? ` — skipped: ${reason}` : ""}`, () => {
  const core = skip ? (undefined as never) : getNativeCore();
  let g: Golden;
  let seqLen: number;
  const worst = { loss: 0, metric: 0, grad: 0 };

  beforeAll(() => {
    g = JSON.parse(readFileSync(join(sharedDir, "fixtures", "grpo", "grpo_easyr1_golden.json"), "utf8")) as Golden;
    seqLen = g.batch.response_mask[0].length;
  });

  const options = (mode: "token" | "seq", useKlLoss: boolean, klPenalty: PolicyLossCheckOptions["klPenalty"] = "low_var_kl"): PolicyLossCheckOptions => ({
    clipRatioLow: g.defaults.clip_ratio_low,
    clipRatioHigh: g.defaults.clip_ratio_high,
    clipRatioDual: g.defaults.clip_ratio_dual,
    klCoef: g.defaults.kl_coef,
    klPenalty,
    useKlLoss,
    lossAvgMode: mode,
    temperature: 1,
  });

  // Rows [from, to) of the batch, with per-token advantages `adv` and current log-probs `logp`.
  const inputs = (adv: number[][], logp: number[][], from = 0, to = g.batch.response_mask.length): PolicyLossInputs => ({
    batch: to - from,
    seqLen,
    logprobs: f32(logp.slice(from, to)),
    oldLogprobs: f32(g.batch.old_log_probs.slice(from, to)),
    refLogprobs: f32(g.batch.ref_log_probs.slice(from, to)),
    advantages: Float64Array.from(adv.slice(from, to).flat()),
    mask: Uint8Array.from(g.batch.response_mask.slice(from, to).flat()),
  });

  const perSample = (a: number[]) => g.batch.response_mask.map((row, i) => row.map((m) => a[i] * m));

  function expectVariant(name: string, r: PolicyLossCheckResult): void {
    const v = g.variants[name];
    worst.loss = Math.max(worst.loss, rel(r.loss, v.loss), rel(r.pgLoss, v.pg_loss));
    expect(rel(r.loss, v.loss), `${name} loss ${r.loss} vs ${v.loss}`).toBeLessThan(relTol);
    expect(rel(r.pgLoss, v.pg_loss), `${name} pg_loss`).toBeLessThan(relTol);
    if (v.kl_loss !== null) {
      worst.loss = Math.max(worst.loss, rel(r.klLoss, v.kl_loss));
      expect(rel(r.klLoss, v.kl_loss), `${name} kl_loss`).toBeLessThan(relTol);
    } else {
      expect(r.klLoss).toBe(0);
    }
    const metrics: [number, number][] = [
      [r.ppoKl, v.metrics.ppo_kl],
      [r.entropyLoss, v.metrics.entropy_loss],
      [r.clipfracHigher, v.metrics.pg_clipfrac_higher],
      [r.clipfracLower, v.metrics.pg_clipfrac_lower],
    ];
    for (const [got, want] of metrics) {
      const d = want === 0 ? Math.abs(got) : rel(got, want);
      worst.metric = Math.max(worst.metric, d);
      expect(d, `${name} metric ${got} vs ${want}`).toBeLessThan(relTol);
    }
    const want = v.grad_loss_wrt_log_probs.flat();
    const scale = Math.max(...want.map(Math.abs));
    let diff = 0;
    want.forEach((x, i) => (diff = Math.max(diff, Math.abs(r.gradLogprobs[i] - x))));
    worst.grad = Math.max(worst.grad, diff / scale);
    expect(diff / scale, `${name} max |grad diff| ${diff}`).toBeLessThan(relTol);
  }

  const cases: [string, () => Promise<PolicyLossCheckResult>][] = [
    ["easyr1_default", () => core.policyLoss(inputs(g.advantages.per_token, g.batch.log_probs), options("token", true))],
    ["seq_mode", () => core.policyLoss(inputs(g.advantages.per_token, g.batch.log_probs), options("seq", true))],
    ["no_kl_token", () => core.policyLoss(inputs(g.advantages.per_token, g.batch.log_probs), options("token", false))],
    ["no_kl_seq", () => core.policyLoss(inputs(g.advantages.per_token, g.batch.log_probs), options("seq", false))],
    ["on_policy_default", () => core.policyLoss(inputs(g.advantages.per_token, g.batch.old_log_probs), options("token", true))],
    // KL in the reward (formula (4)) changes only the advantages, which the fixture provides per sample.
    ["kl_in_reward_low_var_kl", () => core.policyLoss(inputs(perSample(g.advantages.kl_in_reward_low_var_kl_per_sample), g.batch.log_probs), options("token", false))],
    ["kl_in_reward_k1", () => core.policyLoss(inputs(perSample(g.advantages.kl_in_reward_k1_per_sample), g.batch.log_probs), options("token", false))],
  ];

  it.each(cases)("%s: loss, metrics and per-token gradients", async (name, run) => {
    expectVariant(name, await run());
  });

  it.each(["token_mode", "seq_mode"] as const)("micro-batch shares add up as EasyR1's dp_actor scales them (%s)", async (mode) => {
    const m = g.microbatch[mode];
    const total = m.parts.reduce((s, p) => s + p.tokens, 0);
    let sum = 0;
    for (const part of m.parts) {
      const [from, to] = part.range;
      const r = await core.policyLoss(inputs(g.advantages.per_token, g.batch.log_probs, from, to), {
        ...options(mode === "token_mode" ? "token" : "seq", true),
        tokenNormalizer: total,
      });
      expect(rel(r.loss, part.scaled)).toBeLessThan(relTol);
      sum += r.loss;
    }
    expect(rel(sum, m.effective_loss)).toBeLessThan(relTol);
    if (mode === "token_mode") expect(rel(sum, g.variants.easyr1_default.loss)).toBeLessThan(relTol);
  });

  it("reports the largest differences", () => {
    // Printed for the record; the assertions above bound them.
    console.log(`policy loss vs golden: max rel loss diff ${worst.loss.toExponential(2)}, metrics ${worst.metric.toExponential(2)}, grad (rel. to max |grad|) ${worst.grad.toExponential(2)}`);
    expect(worst.grad).toBeLessThan(relTol);
  });

  it("rejects a missing refLogprobs with useKlLoss and mismatched lengths", async () => {
    const i = inputs(g.advantages.per_token, g.batch.log_probs);
    await expect(core.policyLoss({ ...i, refLogprobs: undefined }, options("token", true))).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT" });
    await expect(core.policyLoss({ ...i, advantages: i.advantages.subarray(1) }, options("token", true))).rejects.toMatchObject({ code: "E_INVALID_ARGUMENT" });
  });
});
