// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/cross_attention_dit.py BasicTransformerBlock.forward
#include "model/gr00t/transformer_block.h"

namespace roboalign::gr00t {

BasicTransformerBlockImpl::BasicTransformerBlockImpl(const BlockOptions& o) : p(o.dropout) {
  if (o.ada_norm) {
    norm1_ada = register_module("norm1", AdaLayerNorm(o.dim));  // GR00T builds it with the default eps 1e-5
  } else {
    norm1_ln = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.dim}).eps(o.eps)));
  }
  attn1 = register_module("attn1", Attention(o.dim, o.kv_dim, o.heads, o.head_dim, o.dropout));
  norm3 = register_module("norm3", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.dim}).eps(o.eps).elementwise_affine(!o.ada_norm)));
  ff = register_module("ff", FeedForward(o.dim, 4 * o.dim, o.dropout));
}

torch::Tensor BasicTransformerBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& context, const torch::Tensor& mask,
                                                 const torch::Tensor& temb, const RunContext& run,
                                                 const std::pair<torch::Tensor, torch::Tensor>* kv) {
  auto h = norm1_ada ? norm1_ada(x, temb) : norm1_ln(x);
  torch::Tensor a;
  if (kv) {
    a = attn1->attend(h, kv->first, kv->second, mask, run);
  } else {
    a = attn1(h, context.defined() ? context : h, mask, run);
  }
  auto out = dropout(a, p, run) + x;  // the block's final_dropout on the attention output
  return ff(norm3(out), run) + out;
}

}  // namespace roboalign::gr00t
