// AdamW state on disk for exact resume: per trainable parameter (in configure order) its name,
// shape, step count and both moments, in a torch::serialize archive written atomically.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "engine/text_model.h"

namespace roboalign::train {

struct OptimizerStateInfo {
  int64_t parameters = 0;  // trainable tensors
  int64_t step = 0;        // largest AdamW step count among them
};

// The state of `optimizer` over `params` (named `names`, same order), for any model that owns an AdamW.
OptimizerStateInfo save_adamw_state(const torch::optim::AdamW* optimizer, const std::vector<torch::Tensor>& params,
                                    const std::vector<std::string>& names, const std::string& path);
OptimizerStateInfo load_adamw_state(torch::optim::AdamW* optimizer, const std::vector<torch::Tensor>& params,
                                    const std::vector<std::string>& names, const std::string& path);

// Writes `path` (via `path.tmp` + rename). Needs a configured optimizer.
OptimizerStateInfo save_optimizer_state(const TextModel& m, const std::string& path);

// Replaces the state of the configured optimizer with the file's, after checking that the file
// holds the same parameters (count, names, shapes) in the same order (E_CHECKPOINT otherwise).
OptimizerStateInfo load_optimizer_state(TextModel& m, const std::string& path);

}  // namespace roboalign::train
