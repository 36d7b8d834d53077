// ref: transformers v5.18.0 trainer.py get_decay_parameter_names (no decay on biases and norm
// weights) with torch.optim.AdamW.
#include "train/optimizer.h"

#include <cmath>
#include <limits>

#include "runtime/errors.h"

namespace roboalign::train {

bool glob_match(const std::string& pattern, const std::string& text) {
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::unique_ptr<torch::optim::AdamW> make_adamw(const std::vector<torch::Tensor>& decay, const std::vector<torch::Tensor>& no_decay,
                                                const OptimizerConfig& config) {
  auto options = torch::optim::AdamWOptions(config.lr)
                     .betas({config.beta1, config.beta2})
                     .eps(config.eps)
                     .weight_decay(config.weight_decay);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (!decay.empty()) groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(options));
  if (!no_decay.empty()) {
    auto nd = options;
    nd.weight_decay(0.0);
    groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(nd));
  }
  return std::make_unique<torch::optim::AdamW>(groups, options);
}

AppliedStep clip_and_step(torch::optim::AdamW& optimizer, std::vector<torch::Tensor>& params, double max_grad_norm, double loss, double lr) {
  AppliedStep r;
  const double max_norm = max_grad_norm > 0 ? max_grad_norm : std::numeric_limits<double>::infinity();
  r.grad_norm = torch::nn::utils::clip_grad_norm_(params, max_norm);
  if (std::isfinite(loss) && std::isfinite(r.grad_norm)) {
    for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    optimizer.step();
    r.applied = true;
  }
  optimizer.zero_grad(/*set_to_none=*/true);
  return r;
}

OptimizerSummary configure_optimizer(TextModel& m, const OptimizerConfig& config) {
  check(config.lr >= 0 && config.eps > 0 && config.weight_decay >= 0 && config.max_grad_norm >= 0, ErrorCode::InvalidArgument,
        "optimizer options must be non-negative (lr, weightDecay, maxGradNorm) and eps positive");
  check(config.beta1 >= 0 && config.beta1 < 1 && config.beta2 >= 0 && config.beta2 < 1, ErrorCode::InvalidArgument,
        "AdamW betas must lie in [0, 1)");
  std::vector<torch::Tensor> decay, no_decay;
  OptimizerSummary summary;
  m.trainable.clear();
  m.trainable_names.clear();
  for (auto& [name, t] : m.named_parameters()) {
    bool frozen = false;
    for (const auto& pattern : config.freeze) frozen = frozen || glob_match(pattern, name);
    t.set_requires_grad(!frozen);
    if (frozen) {
      summary.frozen += t.numel();
      continue;
    }
    summary.trainable += t.numel();
    m.trainable.push_back(t);
    m.trainable_names.push_back(name);
    (is_bias_name(name) || is_norm_name(name) ? no_decay : decay).push_back(t);
  }
  check(!m.trainable.empty(), ErrorCode::InvalidArgument, "every parameter is frozen: nothing to train (check the freeze patterns)");
  m.optimizer = make_adamw(decay, no_decay, config);
  m.optim_config = config;
  return summary;
}

}  // namespace roboalign::train
