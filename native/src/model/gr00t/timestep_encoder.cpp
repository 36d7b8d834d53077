// ref: diffusers models/embeddings.py get_timestep_embedding (same operation order, so fp32 values
// match bit for bit)
#include "model/gr00t/timestep_encoder.h"

#include <cmath>

namespace roboalign::gr00t {

torch::Tensor timestep_sinusoid(const torch::Tensor& t, int64_t channels) {
  const int64_t half = channels / 2;
  const double downscale_freq_shift = 1.0;
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(t.device());
  auto exponent = -std::log(10000.0) * torch::arange(0, half, opts);
  exponent = exponent / (static_cast<double>(half) - downscale_freq_shift);
  auto emb = t.unsqueeze(1).to(torch::kFloat32) * torch::exp(exponent).unsqueeze(0);  // [B, half]
  emb = torch::cat({torch::sin(emb), torch::cos(emb)}, -1);
  return torch::cat({emb.narrow(1, half, half), emb.narrow(1, 0, half)}, -1);  // flip_sin_to_cos
}

}  // namespace roboalign::gr00t
