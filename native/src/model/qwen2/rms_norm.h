// ref: transformers v5.18.0 models/qwen2/modeling_qwen2.py Qwen2RMSNorm
#pragma once
#include <torch/torch.h>

namespace roboalign::qwen2 {

struct RMSNormImpl : torch::nn::Module {
  RMSNormImpl(int64_t dim, double eps) : eps(eps) { weight = register_parameter("weight", torch::ones({dim})); }

  // Normalised in fp32 and cast back before the weight multiply, as the reference does.
  torch::Tensor forward(const torch::Tensor& x) {
    auto x32 = x.to(torch::kFloat32);
    x32 = x32 * torch::rsqrt(x32.pow(2).mean(-1, /*keepdim=*/true) + eps);
    return weight * x32.to(x.scalar_type());
  }

  torch::Tensor weight;
  double eps;
};
TORCH_MODULE(RMSNorm);

}  // namespace roboalign::qwen2
