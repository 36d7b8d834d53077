// ref: hiyouga/EasyR1@b44b311 verl/workers/actor/dp_actor.py (_forward_micro_batch, update_policy,
// _optimizer_step), single rank.
#include "train/policy_step.h"

#include <cmath>
#include <limits>
#include <string>

#include "engine/forward.h"
#include "runtime/errors.h"
#include "train/optimizer.h"

namespace roboalign::train {

namespace {

// Checks the per-token arrays against the token batch; returns Σ mask.
int64_t validate_batch(const PolicyBatch& p, size_t index, bool need_ref) {
  const auto& b = p.tokens;
  const int64_t n = b.batch * b.seq_len;
  const std::string where = "microBatches[" + std::to_string(index) + "]";
  auto sized = [&](size_t got, const char* name) {
    check(static_cast<int64_t>(got) == n, ErrorCode::Shape,
          where + "." + name + " has " + std::to_string(got) + " entries but batch × seqLen = " + std::to_string(n) +
              ". Fix: give one value per token, aligned like the logprobs output.");
  };
  sized(p.response_mask.size(), "responseMask");
  sized(p.advantages.size(), "advantages");
  sized(p.old_logprobs.size(), "oldLogprobs");
  check(!need_ref || !p.ref_logprobs.empty(), ErrorCode::InvalidArgument,
        where + ".refLogprobs is required when useKlLoss is true. Fix: pass the reference model's log-probs, or set useKlLoss false.");
  if (need_ref) sized(p.ref_logprobs.size(), "refLogprobs");
  int64_t tokens = 0;
  for (int64_t r = 0; r < b.batch; ++r) {
    for (int64_t t = 0; t < b.seq_len; ++t) {
      const int64_t i = r * b.seq_len + t;
      if (!p.response_mask[i]) continue;
      check(t > 0, ErrorCode::InvalidArgument,
            where + ".responseMask is 1 at position 0 of row " + std::to_string(r) +
                ": the first token has no log-prob. Fix: align the mask with the logprobs output (mask[t] marks ids[t]).");
      check(b.mask.empty() || b.mask[i], ErrorCode::InvalidArgument,
            where + ".responseMask is 1 at padding (row " + std::to_string(r) + ", position " + std::to_string(t) +
                "). Fix: response tokens must be real tokens of attentionMask.");
      ++tokens;
    }
  }
  return tokens;
}

torch::Tensor per_token(const std::vector<float>& v, const TokenBatch& b, const torch::Device& device) {
  return torch::from_blob(const_cast<float*>(v.data()), {b.batch, b.seq_len}, torch::kFloat32).to(device);
}

// (7) log π_θ(ids[t] | ids[<t]) in float32 at the response positions, zero elsewhere: [B, T].
// Only response positions go through lm_head: the [N, V] logits are the big buffer.
torch::Tensor response_logprobs(TextModel& m, const PolicyBatch& p, const BatchTensors& t, const torch::Tensor& response,
                                double temperature) {
  const int64_t T = t.ids.size(1);
  auto out = run_decoder(m, t, p.tokens, {}, true);
  auto keep = response.narrow(1, 1, T - 1);                              // [B, T-1]: position t+1 is predicted at t
  auto hidden = out.last_hidden.narrow(1, 0, T - 1).index({keep});       // [N, H]
  auto target = t.ids.narrow(1, 1, T - 1).index({keep});                 // [N]
  auto logits = m.net->logits(hidden).to(torch::kFloat32) / temperature;  // [N, V]
  auto lp = torch::log_softmax(logits, -1).gather(1, target.unsqueeze(1)).squeeze(1);
  // Column 0 of `response` is false, so its row-major order is that of `keep`.
  return torch::zeros(response.sizes(), lp.options()).index_put({response}, lp);
}

}  // namespace

PolicyStepResult policy_step(TextModel& m, const std::vector<PolicyBatch>& micro_batches, double lr, const PolicyLossConfig& c) {
  check(m.optimizer != nullptr, ErrorCode::InvalidArgument,
        "the optimizer is not configured (or was reset by a vocabulary resize). Fix: call configureOptimizer first.");
  check(lr >= 0, ErrorCode::InvalidArgument, "learning rate must be >= 0");
  check(!micro_batches.empty(), ErrorCode::InvalidArgument, "a policy step needs at least one micro-batch");
  validate(c);
  int64_t total = 0;
  for (size_t i = 0; i < micro_batches.size(); ++i) total += validate_batch(micro_batches[i], i, c.use_kl_loss);
  check(total > 0, ErrorCode::InvalidArgument, "no response token in this step (every responseMask is 0): nothing to learn from");

  m.optimizer->zero_grad(/*set_to_none=*/true);
  PolicyStepResult r;
  r.tokens = total;
  for (const auto& p : micro_batches) {
    auto t = to_tensors(p.tokens, m.config().vocab_size, m.device);
    auto response = torch::from_blob(const_cast<uint8_t*>(p.response_mask.data()), {p.tokens.batch, p.tokens.seq_len}, torch::kUInt8)
                        .to(torch::kBool)
                        .to(m.device);
    if (!response.any().item<bool>()) continue;  // contributes nothing (its share Σm/T is 0)
    PolicyLossInputs in;
    in.logprobs = response_logprobs(m, p, t, response, c.temperature);
    in.old_logprobs = per_token(p.old_logprobs, p.tokens, m.device);
    in.advantages = per_token(p.advantages, p.tokens, m.device);
    if (c.use_kl_loss) in.ref_logprobs = per_token(p.ref_logprobs, p.tokens, m.device);
    in.mask = response.to(torch::kFloat32);
    auto terms = policy_loss(in, c, static_cast<double>(total));
    terms.loss.backward();
    r.loss += terms.loss.item<double>();
    // Metrics weighted like the loss: Σ_mb metric_mb·(Σ m_mb)/T.
    const double share = terms.tokens / static_cast<double>(total);
    r.pg_loss += share * terms.pg_loss.item<double>();
    r.kl_loss += share * terms.kl_loss.item<double>();
    r.ppo_kl += share * terms.ppo_kl.item<double>();
    r.entropy_loss += share * terms.entropy_loss.item<double>();
    r.clipfrac_higher += share * terms.clipfrac_higher.item<double>();
    r.clipfrac_lower += share * terms.clipfrac_lower.item<double>();
  }

  // (14) clip, skip a non-finite step, AdamW.
  const auto step = clip_and_step(*m.optimizer, m.trainable, m.optim_config.max_grad_norm, r.loss, lr);
  r.grad_norm = step.grad_norm;
  r.applied = step.applied;
  return r;
}

}  // namespace roboalign::train
