// ref: diffusers models/attention_processor.py Attention with AttnProcessor2_0, as GR00T N1.5 builds
// it (q/k/v/out biases, scale head_dim^-0.5, no attention-probability dropout)
#pragma once
#include <torch/torch.h>

#include <utility>

#include "model/gr00t/run_context.h"

namespace roboalign::gr00t {

struct AttentionImpl : torch::nn::Module {
  // kv_dim: width of the key/value source (the query width for self-attention, Dvl for the
  // DiT's cross-attention).
  AttentionImpl(int64_t query_dim, int64_t kv_dim, int64_t heads, int64_t head_dim, double dropout);

  // Keys and values of a context [B, S, kv_dim], each [B, heads, S, head_dim]: computed once per
  // chunk for the cross-attention blocks at inference, where the context does not depend on t.
  std::pair<torch::Tensor, torch::Tensor> project_kv(const torch::Tensor& context);
  // x: [B, N, query_dim] attends to (k, v); mask: [B, 1, 1, S] bool or undefined → [B, N, query_dim].
  torch::Tensor attend(const torch::Tensor& x, const torch::Tensor& k, const torch::Tensor& v, const torch::Tensor& mask,
                       const RunContext& run);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context, const torch::Tensor& mask, const RunContext& run) {
    auto [k, v] = project_kv(context);
    return attend(x, k, v, mask, run);
  }

  torch::nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr}, out_proj{nullptr};
  torch::nn::ModuleList to_out{nullptr};  // [0] = out_proj, [1] = its dropout (applied in attend)
  int64_t heads, head_dim;
  double p;
};
TORCH_MODULE(Attention);

}  // namespace roboalign::gr00t
