// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/flow_matching_action_head.py MultiEmbodimentActionEncoder
// and action_encoder.py SinusoidalPositionalEncoding
#pragma once
#include <torch/torch.h>

#include "model/gr00t/category_specific.h"

namespace roboalign::gr00t {

// [sin, cos] (sin first), frequencies exp(−i·ln(10⁴)/half): t [B, T] int64 → [B, T, dim] float32.
// Not the DiT's timestep sinusoid, which is [cos, sin] with divisor half − 1.
torch::Tensor action_time_sinusoid(const torch::Tensor& t, int64_t dim);

struct MultiEmbodimentActionEncoderImpl : torch::nn::Module {
  MultiEmbodimentActionEncoderImpl(int64_t action_dim, int64_t hidden, int64_t num_embodiments);
  // actions: [B, T, A] (noisy); t_disc: [B] int64; cat_ids: [B] → [B, T, hidden]:
  // W3(swish(W2([W1(a), τ(t)]))).
  torch::Tensor forward(const torch::Tensor& actions, const torch::Tensor& t_disc, const torch::Tensor& cat_ids);

  CategorySpecificLinear W1{nullptr}, W2{nullptr}, W3{nullptr};
  int64_t hidden;
};
TORCH_MODULE(MultiEmbodimentActionEncoder);

}  // namespace roboalign::gr00t
