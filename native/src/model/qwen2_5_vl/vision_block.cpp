// ref: transformers v5.18.0 Qwen2_5_VLVisionAttention.forward (rotary in fp32, non-causal
// attention per cu_seqlens segment).
#include "model/qwen2_5_vl/vision_block.h"

#include <cmath>

#include "compat/torch_compat.h"
#include "model/qwen2/rotary.h"

namespace roboalign::qwen2_5_vl {

VisionAttentionImpl::VisionAttentionImpl(const VisionConfig& c) : num_heads(c.num_heads), head_dim(c.head_dim()) {
  qkv = register_module("qkv", torch::nn::Linear(torch::nn::LinearOptions(c.hidden_size, 3 * c.hidden_size).bias(true)));
  proj = register_module("proj", torch::nn::Linear(torch::nn::LinearOptions(c.hidden_size, c.hidden_size).bias(true)));
}

torch::Tensor VisionAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                           const std::vector<int64_t>& seqlens) {
  const int64_t S = x.size(0);
  auto parts = qkv(x).reshape({S, 3, num_heads, head_dim}).permute({1, 0, 2, 3}).unbind(0);  // 3 × [S, heads, hd]
  auto c = cos.unsqueeze(1), s = sin.unsqueeze(1);                                          // [S, 1, hd]
  auto rope = [&](const torch::Tensor& t) {
    auto t32 = t.to(torch::kFloat32);
    return (t32 * c + qwen2::rotate_half(t32) * s).to(t.scalar_type());
  };
  auto q = rope(parts[0]).transpose(0, 1);  // [heads, S, hd]
  auto k = rope(parts[1]).transpose(0, 1);
  auto v = parts[2].transpose(0, 1);
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  std::vector<torch::Tensor> outs;
  for (size_t i = 0; i + 1 < seqlens.size(); ++i) {
    const int64_t a = seqlens[i], len = seqlens[i + 1] - seqlens[i];
    if (len <= 0) continue;
    outs.push_back(compat::sdpa(q.narrow(1, a, len).unsqueeze(0), k.narrow(1, a, len).unsqueeze(0),
                                v.narrow(1, a, len).unsqueeze(0), std::nullopt, scale)
                       .squeeze(0));  // [heads, len, hd]
  }
  auto out = torch::cat(outs, 1).transpose(0, 1).reshape({S, num_heads * head_dim});
  return proj(out);
}

}  // namespace roboalign::qwen2_5_vl
