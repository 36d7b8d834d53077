// AdamW over the trainable parameters: decoupled weight decay except on norms and biases,
// parameters frozen by name pattern.
#pragma once
#include <string>

#include "engine/text_model.h"

namespace roboalign::train {

// `*` matches any run of characters; everything else literally.
bool glob_match(const std::string& pattern, const std::string& text);

struct OptimizerSummary {
  int64_t trainable = 0, frozen = 0;  // parameter counts (elements)
};

// (Re)creates the optimizer of `m` from `config`; freezing sets requires_grad = false.
OptimizerSummary configure_optimizer(TextModel& m, const OptimizerConfig& config);

}  // namespace roboalign::train
