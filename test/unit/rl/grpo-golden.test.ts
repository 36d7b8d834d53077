// EasyR1's GRPO step against the golden fixture (reference/grpo.md §7.1, formulas (3)–(13)):
// advantages, per-token ratio / pg-loss / KL, the loss, metrics and d loss / d log π of every
// variant, and the micro-batch effective losses. The fixture's outputs are float64, so float64
// results are held to 1e-9 relative (the fixture prints 12 significant digits); the default
// float32 advantages are held to what EasyR1's float32 CPU code gives (crosscheck block).
import { afterAll, describe, expect, it } from "vitest";
import {
  EASYR1_DEFAULTS,
  advantagesPerToken,
  applyKlPenalty,
  grpoAdvantages,
  klEstimate,
  outcomeScores,
  placeScoresOnLastToken,
  policyLoss,
  ppoTokenLoss,
  type PolicyLossConfig,
  type PolicyLossResult,
} from "../../../src/rl/index.js";
import { GRPO_FIXTURES_MISSING, expectClose, expectScalar, flat, grpoFixture, hasGrpoFixtures, measured } from "./golden.js";

describe.skipIf(!hasGrpoFixtures)(`GRPO golden fixture${hasGrpoFixtures ? "" : ` (skipped: ${GRPO_FIXTURES_MISSING})`}`, () => {
  const g = hasGrpoFixtures ? grpoFixture("grpo_easyr1_golden.json") : ({} as any);
  const b = g.batch ?? {};
  const B: number = b.num_prompts * b.n;
  const L: number = b.max_response_length;
  // The inputs are float32 values printed with 12 digits: rounding back to float32 recovers them.
  const f32 = (rows: number[][] = []) => flat(rows).map(Math.fround);
  const mask = flat(b.response_mask ?? []);
  const logp = f32(b.log_probs);
  const old = f32(b.old_log_probs);
  const ref = f32(b.ref_log_probs);
  const uid: string[] = b.uid;
  const adv64 = () => advantagesPerToken(grpoAdvantages(b.rewards, uid, { precision: "float64" }).perSample, mask, L);

  afterAll(() => {
    const rows = [...measured].map(([k, v]) => `${k}: max rel ${v.rel.toExponential(2)}, max abs ${v.abs.toExponential(2)}`);
    console.log(`largest differences vs the fixture:\n  ${rows.join("\n  ")}`);
  });

  it("places the reward on the last valid token and sums it back (formulas (3), (5))", () => {
    const scores = placeScoresOnLastToken(b.rewards, b.response_lengths, L);
    expect(Array.from(scores)).toEqual(flat(b.token_level_scores));
    expect(Array.from(outcomeScores(scores, B, L, "float32"))).toEqual(b.rewards);
  });

  it("group mean, unbiased std and advantages in float64 (formula (6))", () => {
    const r = grpoAdvantages(b.rewards, uid, { precision: "float64" });
    for (const s of r.groups) {
      expectScalar("group mean", s.mean, g.advantages.group_stats[s.key].mean);
      expectScalar("group std (unbiased)", s.std, g.advantages.group_stats[s.key].std_unbiased);
    }
    expectClose("advantage per sample (float64)", r.perSample, g.advantages.grpo_per_sample);
    expectClose("advantage per token (float64)", advantagesPerToken(r.perSample, mask, L), flat(g.advantages.per_token));
    // Consecutive blocks of n give the same groups as the uid list here.
    expect(Array.from(grpoAdvantages(b.rewards, b.n, { precision: "float64" }).perSample)).toEqual(Array.from(r.perSample));
  });

  it("default float32 advantages differ from float64 exactly as EasyR1's float32 CPU code does", () => {
    const r = grpoAdvantages(b.rewards, uid);
    let max = 0;
    for (let i = 0; i < B; i++) max = Math.max(max, Math.abs(r.perSample[i] - g.advantages.grpo_per_sample[i]));
    const easyr1 = g.crosscheck_vs_verbatim_easyr1["torch.float32_advantage_max_abs_diff"];
    measured.set("float32 advantage max |diff| vs float64 golden (EasyR1 float32: 1.9216e-7)", { rel: 0, abs: max });
    expect(Math.abs(max - easyr1)).toBeLessThan(1e-11);
    for (let i = 0; i < B; i++) expect(Math.fround(r.perSample[i])).toBe(r.perSample[i]);
    expect(Array.from(r.perSample.subarray(10, 15))).toEqual([0, 0, 0, 0, 0]); // p2: all 0.75, exactly representable
  });

  it("per-token ratio, pg-loss and KL (formulas (8)–(10))", () => {
    const A = flat(g.advantages.per_token);
    const pt = g.per_token_default;
    const on = (f: (j: number) => number) => mask.map((m, j) => (m ? f(j) : 0));
    expectClose("ratio", on((j) => ppoTokenLoss(logp[j], old[j], A[j], EASYR1_DEFAULTS).ratio), flat(pt.ratio));
    expectClose("pg loss per token", on((j) => ppoTokenLoss(logp[j], old[j], A[j], EASYR1_DEFAULTS).loss), flat(pt.pg_loss));
    expectClose("k3 new vs ref", on((j) => klEstimate(logp[j], ref[j], "low_var_kl")), flat(pt.low_var_kl_new_vs_ref));
    expectClose("k3 old vs ref", on((j) => klEstimate(old[j], ref[j], "low_var_kl")), flat(pt.low_var_kl_old_vs_ref));
    expectClose("k1 old vs ref", on((j) => klEstimate(old[j], ref[j], "kl")), flat(pt.k1_old_vs_ref));
  });

  function checkVariant(name: string, r: PolicyLossResult) {
    const v = g.variants[name];
    expectScalar(`${name} loss`, r.loss, v.loss);
    expectScalar(`${name} pg_loss`, r.pgLoss, v.pg_loss);
    if (v.kl_loss === null) expect(r.klLoss).toBe(0);
    else expectScalar(`${name} kl_loss`, r.klLoss, v.kl_loss);
    const m = v.metrics;
    expectScalar(`${name} metrics`, r.ppoKl, m.ppo_kl);
    expectScalar(`${name} metrics`, r.entropyLoss, m.entropy_loss);
    expectScalar(`${name} metrics`, r.clipfracHigher, m.pg_clipfrac_higher);
    expectScalar(`${name} metrics`, r.clipfracLower, m.pg_clipfrac_lower);
    expectClose(`${name} d loss / d log π`, r.gradLogprobs, flat(v.grad_loss_wrt_log_probs));
    mask.forEach((mm, j) => mm === 0 && expect(r.gradLogprobs[j]).toBe(0));
  }

  const base = () => ({ batch: B, seqLen: L, logprobs: logp, oldLogprobs: old, refLogprobs: ref, advantages: adv64(), mask });
  const cases: [string, Partial<PolicyLossConfig>][] = [
    ["easyr1_default", {}],
    ["seq_mode", { lossAvgMode: "seq" }],
    ["no_kl_token", { useKlLoss: false }],
    ["no_kl_seq", { useKlLoss: false, lossAvgMode: "seq" }],
  ];
  for (const [name, config] of cases) {
    it(`variant ${name}`, () => {
      const input = base();
      if (config.useKlLoss === false) delete (input as { refLogprobs?: unknown }).refLogprobs;
      checkVariant(name, policyLoss(input, config));
    });
  }

  it("variant on_policy_default (log π = log π_old, ratio 1)", () => {
    checkVariant("on_policy_default", policyLoss({ ...base(), logprobs: old }));
  });

  for (const [name, penalty] of [["kl_in_reward_low_var_kl", "low_var_kl"], ["kl_in_reward_k1", "kl"]] as const) {
    it(`variant ${name}: KL in the reward (formula (4)), then GRPO and the loss without KL`, () => {
      const scores = placeScoresOnLastToken(b.rewards, b.response_lengths, L);
      const { tokenLevelRewards } = applyKlPenalty({ batch: B, seqLen: L, tokenLevelScores: scores, oldLogprobs: old, refLogprobs: ref, mask }, 0.01, penalty);
      const s = outcomeScores(tokenLevelRewards, B, L);
      const key = penalty === "kl" ? "k1" : "low_var_kl";
      expectClose(`${name} scores`, s, g.advantages[`kl_in_reward_${key}_scores`]);
      const a = grpoAdvantages(s, uid, { precision: "float64" }).perSample;
      expectClose(`${name} advantages`, a, g.advantages[`kl_in_reward_${key}_per_sample`]);
      const r = policyLoss({ batch: B, seqLen: L, logprobs: logp, oldLogprobs: old, advantages: advantagesPerToken(a, mask, L), mask }, { useKlLoss: false, klPenalty: penalty });
      checkVariant(name, r);
    });
  }

  for (const mode of ["token", "seq"] as const) {
    it(`micro-batches with tokenNormalizer add up to the ${mode}-mode effective loss (formula (13)${mode === "seq" ? ", Q3" : ""})`, () => {
      const mb = g.microbatch[`${mode}_mode`];
      const T = mask.reduce((s, m) => s + m, 0);
      const A = adv64();
      let total = 0;
      const grads: number[] = [];
      for (const part of mb.parts) {
        const [r0, r1] = part.range as [number, number];
        const sl = (x: ArrayLike<number>) => Array.prototype.slice.call(x, r0 * L, r1 * L) as number[];
        const r = policyLoss(
          { batch: r1 - r0, seqLen: L, logprobs: sl(logp), oldLogprobs: sl(old), refLogprobs: sl(ref), advantages: sl(A), mask: sl(mask), tokenNormalizer: T },
          { lossAvgMode: mode },
        );
        expect(sl(mask).reduce((s, m) => s + m, 0)).toBe(part.tokens);
        expectScalar(`microbatch ${mode} micro_loss`, r.pgLoss + 0.01 * r.klLoss, part.micro_loss);
        expectScalar(`microbatch ${mode} scaled`, r.loss, part.scaled);
        total += r.loss;
        grads.push(...r.gradLogprobs);
      }
      expectScalar(`microbatch ${mode} effective_loss`, total, mb.effective_loss);
      if (mode === "token") {
        expectScalar("microbatch token effective = full-batch loss", total, g.variants.easyr1_default.loss);
        expectClose("microbatch token grads = full-batch grads", grads, flat(g.variants.easyr1_default.grad_loss_wrt_log_probs));
      } else {
        expect(total - g.variants.seq_mode.loss).toBeGreaterThan(0.01); // not the mini-batch seq mean (Q3)
      }
    });
  }
});

describe.skipIf(!hasGrpoFixtures)(`float32 identical-group quirk Q1${hasGrpoFixtures ? "" : ` (skipped: ${GRPO_FIXTURES_MISSING})`}`, () => {
  const q = hasGrpoFixtures ? grpoFixture("grpo_float32_identical_group_quirk.json") : { cases: [] };
  it("reproduces EasyR1's float32 mean, std and advantage bit for bit by default", () => {
    for (const c of q.cases) {
      const r = grpoAdvantages(new Array(5).fill(c.reward_all_5_samples), 5);
      expect(r.groups[0].mean).toBe(c.float32_mean);
      expect(r.groups[0].std).toBe(c.float32_std);
      expect(r.groups[0].identical).toBe(true);
      expect(Array.from(r.perSample)).toEqual(new Array(5).fill(c.easyr1_cpu_float32_advantage));
    }
    expect(q.cases.some((c: any) => c.easyr1_cpu_float32_advantage !== 0)).toBe(true);
  });

  it("guardIdenticalGroups gives the ideal 0 and leaves other groups alone", () => {
    for (const c of q.cases) {
      const mixed = [...new Array(5).fill(c.reward_all_5_samples), 0, 1, 0.5, 0.25, 0.75];
      const r = grpoAdvantages(mixed, ["a", "a", "a", "a", "a", "b", "b", "b", "b", "b"], { guardIdenticalGroups: true });
      expect(Array.from(r.perSample.subarray(0, 5))).toEqual(new Array(5).fill(c.ideal_advantage));
      expect(r.groups[0].guarded).toBe(true);
      expect(r.groups[1].guarded).toBe(false);
      expect(Array.from(r.perSample.subarray(5))).toEqual(Array.from(grpoAdvantages(mixed.slice(5), 5).perSample));
    }
  });
});
