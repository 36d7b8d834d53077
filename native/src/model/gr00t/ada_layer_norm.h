// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/cross_attention_dit.py AdaLayerNorm
#pragma once
#include <torch/torch.h>

namespace roboalign::gr00t {

// LayerNorm without affine parameters, modulated by the timestep embedding:
// LN(x)·(1 + scale) + shift with (scale, shift) = chunk(linear(silu(temb))) — scale first here,
// unlike the DiT's output layer.
struct AdaLayerNormImpl : torch::nn::Module {
  explicit AdaLayerNormImpl(int64_t dim, double eps = 1e-5) : dim(dim), eps(eps) {
    linear = register_module("linear", torch::nn::Linear(dim, 2 * dim));
  }
  // x: [B, N, D]; temb: [B, D].
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb) {
    auto chunks = linear(torch::silu(temb)).chunk(2, 1);
    auto scale = chunks[0].unsqueeze(1), shift = chunks[1].unsqueeze(1);
    return torch::layer_norm(x, {dim}, {}, {}, eps) * (1 + scale) + shift;
  }
  torch::nn::Linear linear{nullptr};
  int64_t dim;
  double eps;
};
TORCH_MODULE(AdaLayerNorm);

}  // namespace roboalign::gr00t
