// AdamW over the trainable parameters: decoupled weight decay except on norms and biases,
// parameters frozen by name pattern.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "engine/text_model.h"

namespace roboalign::train {

// `*` matches any run of characters; everything else literally.
bool glob_match(const std::string& pattern, const std::string& text);

struct OptimizerSummary {
  int64_t trainable = 0, frozen = 0;  // parameter counts (elements)
};

// AdamW with two groups: `decay` at config.weight_decay, `no_decay` at 0 (either may be empty).
std::unique_ptr<torch::optim::AdamW> make_adamw(const std::vector<torch::Tensor>& decay, const std::vector<torch::Tensor>& no_decay,
                                                const OptimizerConfig& config);

struct AppliedStep {
  double grad_norm = 0;  // global L2 norm before clipping
  bool applied = false;  // false: the loss or the norm was not finite and the update was skipped
};

// The end of every training step: clip the gradients of `params` to `max_grad_norm` (0 = no clip),
// skip the update when `loss` or the norm is not finite (it would corrupt the weights), else set
// the lr of every group and step; gradients are cleared either way.
AppliedStep clip_and_step(torch::optim::AdamW& optimizer, std::vector<torch::Tensor>& params, double max_grad_norm, double loss, double lr);

// (Re)creates the optimizer of `m` from `config`; freezing sets requires_grad = false.
OptimizerSummary configure_optimizer(TextModel& m, const OptimizerConfig& config);

}  // namespace roboalign::train
