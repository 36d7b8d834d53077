// ref: transformers v5.18.0 models/qwen2/modeling_qwen2.py Qwen2MLP (SwiGLU, no bias)
#pragma once
#include <torch/torch.h>

#include "model/qwen2/config.h"

namespace roboalign::qwen2 {

struct MLPImpl : torch::nn::Module {
  explicit MLPImpl(const TextConfig& c) {
    auto lin = [](int64_t in, int64_t out) { return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false)); };
    gate_proj = register_module("gate_proj", lin(c.hidden_size, c.intermediate_size));
    up_proj = register_module("up_proj", lin(c.hidden_size, c.intermediate_size));
    down_proj = register_module("down_proj", lin(c.intermediate_size, c.hidden_size));
  }
  torch::Tensor forward(const torch::Tensor& x) { return down_proj(torch::silu(gate_proj(x)) * up_proj(x)); }

  torch::nn::Linear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};
};
TORCH_MODULE(MLP);

}  // namespace roboalign::qwen2
