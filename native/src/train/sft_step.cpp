// ref: transformers v5.18.0 loss/loss_utils.py ForCausalLMLoss (shift inside, ignore_index -100,
// sum / num_items_in_batch so that accumulation over micro-batches is exact).
#include "train/sft_step.h"

#include <cmath>
#include <limits>

#include "engine/forward.h"
#include "runtime/errors.h"
#include "train/optimizer.h"

namespace roboalign::train {

namespace {

int64_t count_targets(const TokenBatch& b) {
  int64_t n = 0;
  for (int64_t r = 0; r < b.batch; ++r) {
    for (int64_t t = 1; t < b.seq_len; ++t) n += b.labels[r * b.seq_len + t] != -100;
  }
  return n;
}

// Accumulates d(sum CE / total)/dθ over the micro-batches; returns the token-mean loss.
double accumulate(TextModel& m, const std::vector<TokenBatch>& micro_batches, int64_t* tokens_out) {
  check(!micro_batches.empty(), ErrorCode::InvalidArgument, "a training step needs at least one micro-batch");
  int64_t total = 0;
  for (const auto& b : micro_batches) {
    check(!b.labels.empty(), ErrorCode::InvalidArgument, "training micro-batches need labels");
    total += count_targets(b);
  }
  check(total > 0, ErrorCode::InvalidArgument, "no label in this step is different from -100: nothing to learn from");
  double loss_sum = 0;
  for (const auto& b : micro_batches) {
    auto t = to_tensors(b, m.config().vocab_size, m.device);
    auto out = run_decoder(m, t, b, {}, true);
    auto hidden = out.last_hidden.narrow(1, 0, t.ids.size(1) - 1);  // predicts positions 1..T-1
    auto target = t.labels.narrow(1, 1, t.ids.size(1) - 1);
    auto keep = target != -100;
    if (!keep.any().item<bool>()) continue;
    // Project only the positions with a target: the [N, V] logits are the big buffer.
    auto h = hidden.index({keep});
    auto y = target.index({keep});
    auto logits = m.net->logits(h).to(torch::kFloat32);
    auto sum = torch::nn::functional::cross_entropy(
        logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    (sum / static_cast<double>(total)).backward();
    loss_sum += sum.item<double>();
  }
  *tokens_out = total;
  return loss_sum / static_cast<double>(total);
}

void require_optimizer(TextModel& m) {
  check(m.optimizer != nullptr, ErrorCode::InvalidArgument,
        "the optimizer is not configured (or was reset by a vocabulary resize). Fix: call configureOptimizer first.");
}

}  // namespace

SftStepResult sft_step(TextModel& m, const std::vector<TokenBatch>& micro_batches, double lr) {
  require_optimizer(m);
  check(lr >= 0, ErrorCode::InvalidArgument, "learning rate must be >= 0");
  m.optimizer->zero_grad(/*set_to_none=*/true);
  SftStepResult r;
  r.loss = accumulate(m, micro_batches, &r.tokens);
  const auto step = clip_and_step(*m.optimizer, m.trainable, m.optim_config.max_grad_norm, r.loss, lr);
  r.grad_norm = step.grad_norm;
  r.applied = step.applied;
  return r;
}

GradientsResult gradients(TextModel& m, const std::vector<TokenBatch>& micro_batches, const std::vector<std::string>& names) {
  for (auto& [name, t] : m.named_parameters()) t.mutable_grad() = torch::Tensor();
  GradientsResult r;
  r.loss = accumulate(m, micro_batches, &r.tokens);
  auto params = m.named_parameters();
  for (auto& [name, t] : params) {
    if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
    if (!t.requires_grad()) {
      check(names.empty(), ErrorCode::InvalidArgument, "parameter " + name + " is frozen and has no gradient");
      continue;
    }
    auto g = t.grad().defined() ? t.grad() : torch::zeros_like(t);
    r.grads.emplace_back(name, g.to(torch::kCPU, torch::kFloat32).contiguous());
  }
  for (const auto& want : names) {
    bool found = false;
    for (auto& [name, _] : r.grads) found = found || name == want;
    check(found, ErrorCode::InvalidArgument, "unknown parameter name " + want);
  }
  for (auto& [name, t] : params) t.mutable_grad() = torch::Tensor();
  return r;
}

}  // namespace roboalign::train
