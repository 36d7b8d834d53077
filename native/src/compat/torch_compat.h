// Version-dependent libtorch calls live here and nowhere else (libtorch 2.x, CPU and CUDA builds).
#pragma once
#include <torch/torch.h>
#include <torch/version.h>

#include <string>

namespace roboalign::compat {

inline std::string libtorch_version() { return TORCH_VERSION; }

// at::scaled_dot_product_attention gained `scale` in 2.1 and `enable_gqa` in 2.5; the callers
// repeat KV heads themselves so the 7-argument form serves every supported 2.x.
inline at::Tensor sdpa(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                       const std::optional<at::Tensor>& mask, double scale) {
  return at::scaled_dot_product_attention(q, k, v, mask, /*dropout_p=*/0.0, /*is_causal=*/false, scale);
}

// A generator for `device` seeded with `seed`, independent of the global default generator.
inline at::Generator seeded_generator(const torch::Device& device, uint64_t seed) {
  at::Generator gen = at::globalContext().defaultGenerator(device).clone();
  gen.set_current_seed(seed);
  return gen;
}

}  // namespace roboalign::compat
