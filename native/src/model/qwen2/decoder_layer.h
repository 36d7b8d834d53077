// ref: transformers v5.18.0 models/qwen2/modeling_qwen2.py Qwen2DecoderLayer (pre-norm)
#pragma once
#include <torch/torch.h>

#include "model/qwen2/attention.h"
#include "model/qwen2/mlp.h"
#include "model/qwen2/rms_norm.h"

namespace roboalign::qwen2 {

struct DecoderLayerImpl : torch::nn::Module {
  explicit DecoderLayerImpl(const TextConfig& c) {
    self_attn = register_module("self_attn", Attention(c));
    mlp = register_module("mlp", MLP(c));
    input_layernorm = register_module("input_layernorm", RMSNorm(c.hidden_size, c.rms_norm_eps));
    post_attention_layernorm = register_module("post_attention_layernorm", RMSNorm(c.hidden_size, c.rms_norm_eps));
  }

  torch::Tensor forward(torch::Tensor x, const RotaryTables& rope, const torch::Tensor& mask, KVCache* cache, int64_t layer) {
    x = x + self_attn->forward(input_layernorm(x), rope, mask, cache, layer);
    return x + mlp(post_attention_layernorm(x));
  }

  Attention self_attn{nullptr};
  MLP mlp{nullptr};
  RMSNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
};
TORCH_MODULE(DecoderLayer);

}  // namespace roboalign::qwen2
