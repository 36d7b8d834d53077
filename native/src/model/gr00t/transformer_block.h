// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/cross_attention_dit.py BasicTransformerBlock
// (norm_type "ada_norm" in the DiT, "layer_norm" in the VL adapter; no positional embeddings)
#pragma once
#include <torch/torch.h>

#include "model/gr00t/ada_layer_norm.h"
#include "model/gr00t/attention.h"
#include "model/gr00t/feed_forward.h"
#include "model/gr00t/run_context.h"

namespace roboalign::gr00t {

struct BlockOptions {
  int64_t dim = 0, heads = 0, head_dim = 0;
  int64_t kv_dim = 0;   // = dim for self-attention
  double dropout = 0;
  bool ada_norm = false;  // true: norm1 is AdaLayerNorm(temb) and norm3 has no affine (DiT)
  double eps = 1e-5;
};

// Pre-norm: x += drop(attn(norm1(x), ctx)); x += ff(norm3(x)). The FF norm is never
// time-modulated and there is no gating.
struct BasicTransformerBlockImpl : torch::nn::Module {
  explicit BasicTransformerBlockImpl(const BlockOptions& o);

  // x: [B, N, dim]; context: [B, S, kv_dim] (undefined = self-attention); mask: [B, 1, 1, S]
  // key mask or undefined; temb: [B, dim] for ada_norm blocks; kv: precomputed (k, v) of the
  // context, or null.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context, const torch::Tensor& mask,
                        const torch::Tensor& temb, const RunContext& run,
                        const std::pair<torch::Tensor, torch::Tensor>* kv = nullptr);

  AdaLayerNorm norm1_ada{nullptr};          // "norm1" when ada_norm
  torch::nn::LayerNorm norm1_ln{nullptr};   // "norm1" otherwise
  Attention attn1{nullptr};
  torch::nn::LayerNorm norm3{nullptr};
  FeedForward ff{nullptr};
  double p;
};
TORCH_MODULE(BasicTransformerBlock);

}  // namespace roboalign::gr00t
