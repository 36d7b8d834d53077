// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/cross_attention_dit.py TimestepEncoder, with
// diffusers Timesteps(256, flip_sin_to_cos=True, downscale_freq_shift=1) and TimestepEmbedding
#pragma once
#include <torch/torch.h>

namespace roboalign::gr00t {

// diffusers get_timestep_embedding: [cos, sin] (flipped), frequencies exp(−ln(10⁴)·i/(half − 1)).
// t: [B] int64 → [B, channels] float32.
torch::Tensor timestep_sinusoid(const torch::Tensor& t, int64_t channels);

struct TimestepEmbeddingImpl : torch::nn::Module {
  TimestepEmbeddingImpl(int64_t in, int64_t dim) {
    linear_1 = register_module("linear_1", torch::nn::Linear(in, dim));
    linear_2 = register_module("linear_2", torch::nn::Linear(dim, dim));
  }
  torch::Tensor forward(const torch::Tensor& x) { return linear_2(torch::silu(linear_1(x))); }
  torch::nn::Linear linear_1{nullptr}, linear_2{nullptr};
};
TORCH_MODULE(TimestepEmbedding);

struct TimestepEncoderImpl : torch::nn::Module {
  explicit TimestepEncoderImpl(int64_t dim) { timestep_embedder = register_module("timestep_embedder", TimestepEmbedding(kChannels, dim)); }
  // t_disc: [B] int64 → temb [B, dim].
  torch::Tensor forward(const torch::Tensor& t_disc) {
    return timestep_embedder(timestep_sinusoid(t_disc, kChannels).to(timestep_embedder->linear_1->weight.scalar_type()));
  }
  static constexpr int64_t kChannels = 256;
  TimestepEmbedding timestep_embedder{nullptr};
};
TORCH_MODULE(TimestepEncoder);

}  // namespace roboalign::gr00t
