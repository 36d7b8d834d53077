// How one pass of the action head runs: training-mode dropout draws its masks from the pass's
// own generator (so a seeded step is reproducible and no global RNG is touched), and the
// optional VL key-padding mask.
#pragma once
#include <torch/torch.h>

namespace roboalign::gr00t {

struct RunContext {
  bool training = false;           // dropout on (p from the config)
  at::Generator* gen = nullptr;    // required when training; lives on the model's device
  torch::Tensor vl_key_mask;       // [B, 1, 1, L] bool, true = may attend; undefined = no mask
};

// Inverted dropout as torch.nn.Dropout computes it, with the context's generator.
inline torch::Tensor dropout(const torch::Tensor& x, double p, const RunContext& run) {
  if (!run.training || p <= 0) return x;
  TORCH_CHECK(run.gen != nullptr, "training pass without a dropout generator");
  auto keep = at::empty_like(x).bernoulli_(1.0 - p, *run.gen);
  return x * keep / (1.0 - p);
}

}  // namespace roboalign::gr00t
