// ref: transformers v5.18.0 models/qwen2_5_vl/modeling_qwen2_5_vl.py Qwen2_5_VLVisionBlock,
// Qwen2_5_VLVisionAttention, Qwen2_5_VLMLP (checkpoint names norm1, norm2, attn.qkv, attn.proj,
// mlp.gate_proj/up_proj/down_proj).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "model/qwen2/rms_norm.h"
#include "model/qwen2_5_vl/vision_config.h"

namespace roboalign::qwen2_5_vl {

struct VisionAttentionImpl : torch::nn::Module {
  explicit VisionAttentionImpl(const VisionConfig& c);
  // x: [S, hidden]; cos/sin: [S, head_dim] float32; attention stays inside each segment
  // [seqlens[i], seqlens[i+1]).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const std::vector<int64_t>& seqlens);

  torch::nn::Linear qkv{nullptr}, proj{nullptr};
  int64_t num_heads, head_dim;
};
TORCH_MODULE(VisionAttention);

struct VisionMLPImpl : torch::nn::Module {
  explicit VisionMLPImpl(const VisionConfig& c) {
    auto lin = [](int64_t in, int64_t out) { return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(true)); };
    gate_proj = register_module("gate_proj", lin(c.hidden_size, c.intermediate_size));
    up_proj = register_module("up_proj", lin(c.hidden_size, c.intermediate_size));
    down_proj = register_module("down_proj", lin(c.intermediate_size, c.hidden_size));
  }
  torch::Tensor forward(const torch::Tensor& x) { return down_proj(torch::silu(gate_proj(x)) * up_proj(x)); }

  torch::nn::Linear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};
};
TORCH_MODULE(VisionMLP);

struct VisionBlockImpl : torch::nn::Module {
  explicit VisionBlockImpl(const VisionConfig& c) {
    norm1 = register_module("norm1", qwen2::RMSNorm(c.hidden_size, c.rms_norm_eps));
    norm2 = register_module("norm2", qwen2::RMSNorm(c.hidden_size, c.rms_norm_eps));
    attn = register_module("attn", VisionAttention(c));
    mlp = register_module("mlp", VisionMLP(c));
  }
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& cos, const torch::Tensor& sin, const std::vector<int64_t>& seqlens) {
    x = x + attn->forward(norm1(x), cos, sin, seqlens);
    return x + mlp(norm2(x));
  }

  qwen2::RMSNorm norm1{nullptr}, norm2{nullptr};
  VisionAttention attn{nullptr};
  VisionMLP mlp{nullptr};
};
TORCH_MODULE(VisionBlock);

}  // namespace roboalign::qwen2_5_vl
