// ref: hiyouga/EasyR1@b44b311 verl/trainer/core_algos.py (compute_policy_loss loss_type "default",
// compute_kl, average_loss) and verl/workers/actor/dp_actor.py update_policy: the GRPO actor loss
// of shared/reference/grpo.md formulas (8)–(13) on per-token tensors.
#pragma once
#include <torch/torch.h>

#include <string>

namespace roboalign::train {

enum class KlPenalty { LowVarKl, Kl, Abs, Mse };
enum class LossAvgMode { Token, Seq };

struct PolicyLossConfig {
  double clip_ratio_low = 0.2, clip_ratio_high = 0.3, clip_ratio_dual = 3.0;
  double kl_coef = 0.01;
  KlPenalty kl_penalty = KlPenalty::LowVarKl;
  bool use_kl_loss = true;
  LossAvgMode loss_avg_mode = LossAvgMode::Token;
  double temperature = 1.0;  // used by the step (logits / temperature); the loss itself sees log-probs
};

// "low_var_kl" | "kl" | "abs" | "mse"; "token" | "seq". Unknown names are E_INVALID_ARGUMENT.
KlPenalty parse_kl_penalty(const std::string& name);
LossAvgMode parse_loss_avg_mode(const std::string& name);
// Rejects clip ranges, coefficients and temperatures that EasyR1 would turn into nonsense.
void validate(const PolicyLossConfig& c);

// All [B, T] of one floating dtype, aligned token for token; only positions with mask = 1 count.
struct PolicyLossInputs {
  torch::Tensor logprobs;      // log π_θ; carries the graph when a gradient is wanted
  torch::Tensor old_logprobs;  // log π_old
  torch::Tensor ref_logprobs;  // log π_ref; undefined unless use_kl_loss
  torch::Tensor advantages;    // Â_{i,t}
  torch::Tensor mask;          // response mask m_{i,t}, 0/1
};

// Scalars (0-dim tensors of the input dtype). `loss` keeps the graph; the rest are detached.
struct PolicyLossTerms {
  torch::Tensor loss, pg_loss, kl_loss, ppo_kl, entropy_loss, clipfrac_higher, clipfrac_lower;
  double tokens = 0;  // Σ mask of this micro-batch
};

// L_mb = A(ℓ) + β·A(k) (formula (12)) with EasyR1's metrics over this micro-batch. With
// token_normalizer T > 0, `loss` is this micro-batch's share L_mb·(Σ mask)/T (formula (13)):
// backward on the shares of a step's micro-batches accumulates the exact gradient of the step.
// The metrics (pg_loss … clipfrac_lower) are never scaled, as EasyR1 logs them per micro-batch.
PolicyLossTerms policy_loss(const PolicyLossInputs& in, const PolicyLossConfig& c, double token_normalizer = 0);

}  // namespace roboalign::train
