// ref: transformers v5.18.0 Qwen2_5_VLRotaryEmbedding.forward / apply_multimodal_rotary_pos_emb
#include "model/qwen2/rotary.h"

namespace roboalign::qwen2 {

MRotaryEmbedding::MRotaryEmbedding(int64_t head_dim, double theta, std::vector<int64_t> mrope_section)
    : head_dim_(head_dim), theta_(theta), section_(std::move(mrope_section)) {}

torch::Tensor rotate_half(const torch::Tensor& x) {
  auto halves = x.chunk(2, -1);
  return torch::cat({-halves[1], halves[0]}, -1);
}

RotaryTables MRotaryEmbedding::operator()(const torch::Tensor& positions, torch::ScalarType dtype) const {
  auto device = positions.device();
  auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  // inv_freq = 1 / theta^(arange(0, d, 2)/d), in float32 exactly as the reference.
  auto exponent = torch::arange(0, head_dim_, 2, torch::TensorOptions().dtype(torch::kInt64).device(device)).to(torch::kFloat32) /
                  static_cast<float>(head_dim_);
  auto inv_freq = 1.0 / torch::pow(torch::scalar_tensor(theta_, f32), exponent);  // [hd/2]
  // The reference computes inv_freq @ pos as a rank-1 matmul: one product per entry, exact.
  auto freqs = positions.to(torch::kFloat32).unsqueeze(-1) * inv_freq;  // [3, B, T, hd/2]
  auto emb = torch::cat({freqs, freqs}, -1);                          // [3, B, T, hd]
  auto cos = emb.cos();
  auto sin = emb.sin();
  torch::Tensor cos_sel, sin_sel;
  if (section_.empty()) {
    cos_sel = cos[0];
    sin_sel = sin[0];
  } else {
    // Frequency chunks [s_t, s_h, s_w, s_t, s_h, s_w] take their positions from axes t, h, w.
    std::vector<int64_t> sizes;
    for (int rep = 0; rep < 2; ++rep) sizes.insert(sizes.end(), section_.begin(), section_.end());
    auto cos_chunks = cos.split_with_sizes(sizes, -1);
    auto sin_chunks = sin.split_with_sizes(sizes, -1);
    std::vector<torch::Tensor> cs, ss;
    for (size_t i = 0; i < sizes.size(); ++i) {
      cs.push_back(cos_chunks[i][i % 3]);
      ss.push_back(sin_chunks[i][i % 3]);
    }
    cos_sel = torch::cat(cs, -1);  // [B, T, hd]
    sin_sel = torch::cat(ss, -1);
  }
  return {cos_sel.to(dtype).unsqueeze(1), sin_sel.to(dtype).unsqueeze(1)};
}

}  // namespace roboalign::qwen2
