// ref: transformers v5.18.0 generation/logits_process.py (TemperatureLogitsWarper, TopKLogitsWarper,
// TopPLogitsWarper) and the Gumbel/exponential trick for sampling from a categorical.
#pragma once
#include <torch/torch.h>

#include <vector>

namespace roboalign::sampling {

struct SamplingParams {
  double temperature = 0.0;  // 0 = greedy
  int64_t top_k = 0;         // 0 = off
  double top_p = 1.0;        // 1 = off
  // Ids never chosen (EasyR1 biases the image-pad token by -100 so a rollout cannot emit an
  // image placeholder without an image); their log-probs stay in the reported distribution.
  std::vector<int64_t> banned_ids;
};

struct Choice {
  torch::Tensor ids;       // [B] int64
  torch::Tensor logprobs;  // [B] float32: log-prob of ids under softmax(logits / T) (T = 1 when greedy)
};

// logits: [B, V] (any float dtype). Filtering (top-k, top-p) shapes the sampling distribution;
// the reported log-prob is that of the unfiltered tempered distribution, which is what a full
// forward pass recomputes.
Choice choose_next(const torch::Tensor& logits, const SamplingParams& p, at::Generator& gen);

}  // namespace roboalign::sampling
