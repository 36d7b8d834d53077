// ref: hiyouga/EasyR1@b44b311 verl/trainer/core_algos.py (compute_policy_loss loss_type "default",
// compute_kl, average_loss) and verl/workers/actor/dp_actor.py update_policy.
#include "train/policy_loss.h"

#include <cmath>

#include "runtime/errors.h"

namespace roboalign::train {

namespace {

constexpr double kMaskEps = 1e-8;  // VF.masked_mean and average_loss
constexpr double kLogRatioClamp = 20.0;

// VF.masked_mean over everything: Σ m·v / (Σ m + eps).
torch::Tensor masked_mean(const torch::Tensor& v, const torch::Tensor& m) { return (v * m).sum() / (m.sum() + kMaskEps); }

// Formula (11).
torch::Tensor average(const torch::Tensor& v, const torch::Tensor& m, LossAvgMode mode) {
  if (mode == LossAvgMode::Token) return masked_mean(v, m);
  return ((v * m).sum(-1) / (m.sum(-1) + kMaskEps)).mean();  // mean over every row, as EasyR1 does
}

// Formula (10). EasyR1 casts to float32 first (quirk Q4); here the inputs' dtype is kept, so the
// float64 check op reproduces the float64 reference and the step (float32 log-probs) matches EasyR1.
torch::Tensor kl_estimate(const torch::Tensor& logprobs, const torch::Tensor& ref, KlPenalty penalty) {
  switch (penalty) {
    case KlPenalty::Kl: return logprobs - ref;
    case KlPenalty::Abs: return (logprobs - ref).abs();
    case KlPenalty::Mse: return 0.5 * (logprobs - ref).square();
    case KlPenalty::LowVarKl: {
      auto x = (ref - logprobs).clamp(-20.0, 20.0);
      return (x.exp() - x - 1).clamp(-10.0, 10.0);
    }
  }
  fail(ErrorCode::Internal, "unknown KL penalty");
}

}  // namespace

KlPenalty parse_kl_penalty(const std::string& name) {
  if (name == "low_var_kl") return KlPenalty::LowVarKl;
  if (name == "kl") return KlPenalty::Kl;
  if (name == "abs") return KlPenalty::Abs;
  if (name == "mse") return KlPenalty::Mse;
  fail(ErrorCode::InvalidArgument, "klPenalty must be \"low_var_kl\", \"kl\", \"abs\" or \"mse\", got \"" + name +
                                       "\" (\"full\" needs whole distributions, which sampled log-probs do not carry)");
}

LossAvgMode parse_loss_avg_mode(const std::string& name) {
  if (name == "token") return LossAvgMode::Token;
  if (name == "seq") return LossAvgMode::Seq;
  fail(ErrorCode::InvalidArgument, "lossAvgMode must be \"token\" or \"seq\", got \"" + name + "\"");
}

void validate(const PolicyLossConfig& c) {
  check(c.clip_ratio_low >= 0 && c.clip_ratio_low < 1, ErrorCode::InvalidArgument,
        "clipRatioLow must lie in [0, 1) (the ratio is clipped below at 1 - clipRatioLow), got " + std::to_string(c.clip_ratio_low));
  check(c.clip_ratio_high >= 0, ErrorCode::InvalidArgument, "clipRatioHigh must be >= 0, got " + std::to_string(c.clip_ratio_high));
  check(c.clip_ratio_dual >= 1, ErrorCode::InvalidArgument,
        "clipRatioDual must be >= 1 (it bounds the loss of negative advantages at clipRatioDual·|A|), got " +
            std::to_string(c.clip_ratio_dual));
  check(std::isfinite(c.kl_coef), ErrorCode::InvalidArgument, "klCoef must be a finite number");
  check(c.temperature > 0 && std::isfinite(c.temperature), ErrorCode::InvalidArgument,
        "temperature must be positive (use the rollout temperature), got " + std::to_string(c.temperature));
}

PolicyLossTerms policy_loss(const PolicyLossInputs& in, const PolicyLossConfig& c, double token_normalizer) {
  validate(c);
  const auto& lp_in = in.logprobs;
  check(lp_in.dim() == 2, ErrorCode::Shape, "log-probs must be [batch, seqLen]");
  auto same = [&](const torch::Tensor& t, const char* name) {
    check(t.sizes() == lp_in.sizes(), ErrorCode::Shape,
          std::string(name) + " must have the shape of the log-probs [batch, seqLen] (" + std::to_string(lp_in.numel()) + " entries)");
  };
  same(in.old_logprobs, "oldLogprobs");
  same(in.advantages, "advantages");
  same(in.mask, "mask");
  check(!c.use_kl_loss || in.ref_logprobs.defined(), ErrorCode::InvalidArgument,
        "refLogprobs is required when useKlLoss is true. Fix: pass the reference model's log-probs, or set useKlLoss false.");
  if (c.use_kl_loss) same(in.ref_logprobs, "refLogprobs");

  // Positions outside the mask may hold anything (padding garbage, even NaN): zero them so that
  // they cannot leak into the sums through 0·NaN, and so that their gradient is exactly 0.
  auto keep = in.mask > 0;
  auto m = keep.to(lp_in.scalar_type());
  auto zero = torch::zeros({}, lp_in.options().requires_grad(false));
  auto lp = torch::where(keep, lp_in, zero);
  auto old = torch::where(keep, in.old_logprobs.to(lp_in.scalar_type()), zero);
  auto adv = torch::where(keep, in.advantages.to(lp_in.scalar_type()), zero);

  // (8) ratios
  auto log_ratio = lp - old;
  auto ratio = torch::exp(log_ratio.clamp(-kLogRatioClamp, kLogRatioClamp));
  auto clipped_ratio = torch::exp(log_ratio.clamp(std::log(1.0 - c.clip_ratio_low), std::log(1.0 + c.clip_ratio_high)));
  // (9) dual-clip PPO
  auto pg1 = -adv * ratio;
  auto pg2 = -adv * clipped_ratio;
  auto pg3 = -adv * c.clip_ratio_dual;
  auto higher = torch::max(pg1, pg2);
  auto lower = torch::min(higher, pg3);
  auto per_token = torch::where(adv < 0, lower, higher);

  PolicyLossTerms r;
  r.tokens = m.sum().item<double>();
  auto pg_loss = average(per_token, m, c.loss_avg_mode);
  auto loss = pg_loss;
  torch::Tensor kl_loss = torch::zeros({}, lp.options().requires_grad(false));
  if (c.use_kl_loss) {
    auto ref = torch::where(keep, in.ref_logprobs.to(lp_in.scalar_type()), zero);
    kl_loss = average(kl_estimate(lp, ref, c.kl_penalty), m, c.loss_avg_mode);  // (10), (11)
    loss = pg_loss + kl_loss * c.kl_coef;                                         // (12)
  }

  // (13): this micro-batch's share of a step over `token_normalizer` response tokens.
  const double scale = token_normalizer > 0 ? r.tokens / token_normalizer : 1.0;
  r.loss = loss * scale;
  torch::NoGradGuard no_grad;
  r.pg_loss = pg_loss.detach();
  r.kl_loss = kl_loss.detach();
  // Metrics: ppo_kl and clip fractions are token means whatever the mode; entropy follows the mode.
  r.ppo_kl = masked_mean(-log_ratio, m).detach();
  r.entropy_loss = average(-lp, m, c.loss_avg_mode).detach();
  r.clipfrac_higher = masked_mean((pg1 < pg2).to(m.scalar_type()), m).detach();
  r.clipfrac_lower = masked_mean((higher > pg3).to(m.scalar_type()) * (adv < 0).to(m.scalar_type()), m).detach();
  return r;
}

}  // namespace roboalign::train
