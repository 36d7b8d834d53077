// Pre-allocated key/value cache for batched decoding: one [B, kv_heads, capacity, head_dim]
// pair per layer; every row advances in lock-step (prompts are left-padded).
#pragma once
#include <torch/torch.h>

#include <vector>

namespace roboalign::qwen2 {

struct KVCache {
  std::vector<torch::Tensor> keys;    // per layer [B, nkv, capacity, hd]
  std::vector<torch::Tensor> values;  // per layer [B, nkv, capacity, hd]
  int64_t length = 0;                 // positions filled so far

  KVCache(int64_t layers, int64_t batch, int64_t kv_heads, int64_t capacity, int64_t head_dim,
          const torch::TensorOptions& options) {
    for (int64_t i = 0; i < layers; ++i) {
      keys.push_back(torch::empty({batch, kv_heads, capacity, head_dim}, options));
      values.push_back(torch::empty({batch, kv_heads, capacity, head_dim}, options));
    }
  }
  int64_t capacity() const { return keys.empty() ? 0 : keys[0].size(2); }
};

}  // namespace roboalign::qwen2
