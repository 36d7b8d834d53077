// Causal + padding mask for scaled-dot-product attention.
#pragma once
#include <torch/torch.h>

namespace roboalign::qwen2 {

// key_valid: [B, S] bool (real tokens); the T queries sit at key positions [S - T, S).
// Returns [B, 1, T, S] bool, true = may attend. Each query may always attend to its own position,
// so padding queries never see an all-masked row (whose softmax would be NaN and leak through
// 0·NaN into later layers).
inline torch::Tensor causal_padding_mask(const torch::Tensor& key_valid, int64_t T) {
  const int64_t S = key_valid.size(1);
  auto opts = torch::TensorOptions().dtype(torch::kInt64).device(key_valid.device());
  auto q_pos = torch::arange(S - T, S, opts).unsqueeze(1);  // [T, 1]
  auto k_pos = torch::arange(0, S, opts).unsqueeze(0);      // [1, S]
  auto causal = k_pos <= q_pos;                              // [T, S]
  auto self = k_pos == q_pos;
  return (causal.unsqueeze(0) & key_valid.unsqueeze(1)).logical_or(self.unsqueeze(0)).unsqueeze(1);
}

}  // namespace roboalign::qwen2
