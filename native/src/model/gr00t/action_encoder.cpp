// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/flow_matching_action_head.py MultiEmbodimentActionEncoder.forward
#include "model/gr00t/action_encoder.h"

namespace roboalign::gr00t {

torch::Tensor action_time_sinusoid(const torch::Tensor& t, int64_t dim) {
  const int64_t half = dim / 2;
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(t.device());
  // Same operations as the reference (ln computed on a float32 tensor, then divided), so fp32
  // values agree exactly.
  auto scale = torch::log(torch::tensor(10000.0, opts)) / half;
  auto exponent = -torch::arange(half, opts) * scale;
  auto freqs = t.to(torch::kFloat32).unsqueeze(-1) * exponent.exp();  // [B, T, half]
  return torch::cat({torch::sin(freqs), torch::cos(freqs)}, -1);
}

MultiEmbodimentActionEncoderImpl::MultiEmbodimentActionEncoderImpl(int64_t action_dim, int64_t hidden, int64_t num_embodiments)
    : hidden(hidden) {
  W1 = register_module("W1", CategorySpecificLinear(num_embodiments, action_dim, hidden));
  W2 = register_module("W2", CategorySpecificLinear(num_embodiments, 2 * hidden, hidden));
  W3 = register_module("W3", CategorySpecificLinear(num_embodiments, hidden, hidden));
}

torch::Tensor MultiEmbodimentActionEncoderImpl::forward(const torch::Tensor& actions, const torch::Tensor& t_disc,
                                                        const torch::Tensor& cat_ids) {
  const int64_t T = actions.size(1);
  auto a = W1(actions, cat_ids);
  auto tau = action_time_sinusoid(t_disc.unsqueeze(1).expand({-1, T}), hidden).to(a.scalar_type());
  auto x = W2(torch::cat({a, tau}, -1), cat_ids);
  x = x * torch::sigmoid(x);  // swish
  return W3(x, cat_ids);
}

}  // namespace roboalign::gr00t
