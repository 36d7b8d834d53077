// ref: transformers v5.18.0 models/qwen2_5_vl/modeling_qwen2_5_vl.py Qwen2_5_VLRotaryEmbedding and
// apply_multimodal_rotary_pos_emb (M-RoPE); plain Qwen2 RoPE is the case of equal t/h/w positions.
#pragma once
#include <torch/torch.h>

#include <vector>

namespace roboalign::qwen2 {

struct RotaryTables {
  torch::Tensor cos;  // [B, 1, T, head_dim], model dtype
  torch::Tensor sin;
};

class MRotaryEmbedding {
 public:
  MRotaryEmbedding(int64_t head_dim, double theta, std::vector<int64_t> mrope_section);

  // positions: [3, B, T] int64 (axes t, h, w).
  RotaryTables operator()(const torch::Tensor& positions, torch::ScalarType dtype) const;

 private:
  int64_t head_dim_;
  double theta_;
  std::vector<int64_t> section_;
};

torch::Tensor rotate_half(const torch::Tensor& x);

// q' = q·cos + rotate_half(q)·sin
inline torch::Tensor apply_rotary(const torch::Tensor& x, const RotaryTables& t) {
  return x * t.cos + rotate_half(x) * t.sin;
}

}  // namespace roboalign::qwen2
