// ref: hiyouga/EasyR1@b44b311 verl/workers/actor/dp_actor.py update_policy (one mini-batch):
// the GRPO policy update of shared/reference/grpo.md formulas (7)–(14).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "engine/text_model.h"
#include "engine/token_batch.h"
#include "train/policy_loss.h"

namespace roboalign::train {

// A right-padded micro-batch with its per-token GRPO inputs, all [B, T] aligned like the
// `logprobs` output: position t is log p(ids[t] | ids[<t]), so column 0 is never a response token.
struct PolicyBatch {
  TokenBatch tokens;
  std::vector<uint8_t> response_mask;  // 1 where log p(ids[t] | ids[<t]) is trained (response incl. EOS)
  std::vector<float> advantages;
  std::vector<float> old_logprobs;
  std::vector<float> ref_logprobs;  // empty unless use_kl_loss
};

// Step totals: token-weighted over micro-batches, formula (13).
struct PolicyStepResult {
  double loss = 0, pg_loss = 0, kl_loss = 0, ppo_kl = 0, entropy_loss = 0, clipfrac_higher = 0, clipfrac_lower = 0;
  double grad_norm = 0;
  int64_t tokens = 0;
  bool applied = false;
};

// Accumulates the gradient of Σ_mb L_mb·(Σ m_mb)/T, clips it (optimizer config), and takes one
// AdamW step at `lr`, skipped when the loss or the gradient norm is not finite.
PolicyStepResult policy_step(TextModel& m, const std::vector<PolicyBatch>& micro_batches, double lr, const PolicyLossConfig& c);

}  // namespace roboalign::train
