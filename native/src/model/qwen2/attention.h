// ref: transformers v5.18.0 models/qwen2/modeling_qwen2.py Qwen2Attention (GQA, q/k/v bias, no o bias)
#pragma once
#include <torch/torch.h>

#include "model/qwen2/config.h"
#include "model/qwen2/kv_cache.h"
#include "model/qwen2/rotary.h"

namespace roboalign::qwen2 {

struct AttentionImpl : torch::nn::Module {
  explicit AttentionImpl(const TextConfig& c);

  // x: [B, T, H]; mask: [B, 1, T, S] bool (true = may attend), S = cached + T keys.
  // With a cache, keys/values of this call are written at positions [cache.length, cache.length + T).
  torch::Tensor forward(const torch::Tensor& x, const RotaryTables& rope, const torch::Tensor& mask,
                        KVCache* cache, int64_t layer);

  torch::nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
  int64_t num_heads, num_kv_heads, head_dim;
};
TORCH_MODULE(Attention);

}  // namespace roboalign::qwen2
