// AdamW state on disk for exact resume: per trainable parameter (in configure order) its name,
// shape, step count and both moments, in a torch::serialize archive written atomically.
#pragma once
#include <string>

#include "engine/text_model.h"

namespace roboalign::train {

struct OptimizerStateInfo {
  int64_t parameters = 0;  // trainable tensors
  int64_t step = 0;        // largest AdamW step count among them
};

// Writes `path` (via `path.tmp` + rename). Needs a configured optimizer.
OptimizerStateInfo save_optimizer_state(const TextModel& m, const std::string& path);

// Replaces the state of the configured optimizer with the file's, after checking that the file
// holds the same parameters (count, names, shapes) in the same order (E_CHECKPOINT otherwise).
OptimizerStateInfo load_optimizer_state(TextModel& m, const std::string& path);

}  // namespace roboalign::train
