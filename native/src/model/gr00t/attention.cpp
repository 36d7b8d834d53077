// ref: diffusers models/attention_processor.py Attention / AttnProcessor2_0
#include "model/gr00t/attention.h"

#include <cmath>

#include "compat/torch_compat.h"

namespace roboalign::gr00t {

AttentionImpl::AttentionImpl(int64_t query_dim, int64_t kv_dim, int64_t heads, int64_t head_dim, double dropout)
    : heads(heads), head_dim(head_dim), p(dropout) {
  const int64_t inner = heads * head_dim;
  to_q = register_module("to_q", torch::nn::Linear(query_dim, inner));
  to_k = register_module("to_k", torch::nn::Linear(kv_dim, inner));
  to_v = register_module("to_v", torch::nn::Linear(kv_dim, inner));
  out_proj = torch::nn::Linear(inner, query_dim);
  to_out = register_module("to_out", torch::nn::ModuleList());
  to_out->push_back(out_proj);
  to_out->push_back(torch::nn::Dropout(dropout));  // parameter-free: keeps the index of the checkpoint layout
}

std::pair<torch::Tensor, torch::Tensor> AttentionImpl::project_kv(const torch::Tensor& context) {
  const int64_t B = context.size(0), S = context.size(1);
  auto k = to_k(context).view({B, S, heads, head_dim}).transpose(1, 2);
  auto v = to_v(context).view({B, S, heads, head_dim}).transpose(1, 2);
  return {k, v};
}

torch::Tensor AttentionImpl::attend(const torch::Tensor& x, const torch::Tensor& k, const torch::Tensor& v,
                                    const torch::Tensor& mask, const RunContext& run) {
  const int64_t B = x.size(0), N = x.size(1);
  auto q = to_q(x).view({B, N, heads, head_dim}).transpose(1, 2);  // [B, h, N, hd]
  std::optional<at::Tensor> m;
  if (mask.defined()) m = mask;
  auto out = compat::sdpa(q, k, v, m, 1.0 / std::sqrt(static_cast<double>(head_dim)));
  out = out.transpose(1, 2).reshape({B, N, heads * head_dim});
  return dropout(out_proj(out), p, run);
}

}  // namespace roboalign::gr00t
