// Supervised steps: masked next-token cross-entropy, gradient accumulation over micro-batches,
// global grad-norm clipping and one AdamW update.
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "engine/text_model.h"
#include "engine/token_batch.h"

namespace roboalign::train {

struct SftStepResult {
  double loss = 0, grad_norm = 0;
  int64_t tokens = 0;
  bool applied = false;
};

SftStepResult sft_step(TextModel& m, const std::vector<TokenBatch>& micro_batches, double lr);

struct GradientsResult {
  double loss = 0;
  int64_t tokens = 0;
  std::vector<std::pair<std::string, torch::Tensor>> grads;  // float32 CPU
};

GradientsResult gradients(TextModel& m, const std::vector<TokenBatch>& micro_batches, const std::vector<std::string>& names);

}  // namespace roboalign::train
