// ref: transformers v5.18.0 models/qwen2/modeling_qwen2.py Qwen2Attention
#include "model/qwen2/attention.h"

#include <cmath>

#include "compat/torch_compat.h"

namespace roboalign::qwen2 {

using torch::indexing::Slice;

AttentionImpl::AttentionImpl(const TextConfig& c)
    : num_heads(c.num_attention_heads), num_kv_heads(c.num_key_value_heads), head_dim(c.head_dim) {
  auto lin = [&](int64_t in, int64_t out, bool bias) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
  };
  q_proj = register_module("q_proj", lin(c.hidden_size, num_heads * head_dim, /*bias=*/true));
  k_proj = register_module("k_proj", lin(c.hidden_size, num_kv_heads * head_dim, /*bias=*/true));
  v_proj = register_module("v_proj", lin(c.hidden_size, num_kv_heads * head_dim, /*bias=*/true));
  o_proj = register_module("o_proj", lin(num_heads * head_dim, c.hidden_size, /*bias=*/false));
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const RotaryTables& rope, const torch::Tensor& mask,
                                     KVCache* cache, int64_t layer) {
  const int64_t B = x.size(0), T = x.size(1);
  auto q = q_proj(x).view({B, T, num_heads, head_dim}).transpose(1, 2);     // [B, nh, T, hd]
  auto k = k_proj(x).view({B, T, num_kv_heads, head_dim}).transpose(1, 2);  // [B, nkv, T, hd]
  auto v = v_proj(x).view({B, T, num_kv_heads, head_dim}).transpose(1, 2);
  q = apply_rotary(q, rope);
  k = apply_rotary(k, rope);
  if (cache) {
    const int64_t start = cache->length;
    cache->keys[layer].index_put_({Slice(), Slice(), Slice(start, start + T)}, k);
    cache->values[layer].index_put_({Slice(), Slice(), Slice(start, start + T)}, v);
    k = cache->keys[layer].index({Slice(), Slice(), Slice(0, start + T)});
    v = cache->values[layer].index({Slice(), Slice(), Slice(0, start + T)});
  }
  const int64_t rep = num_heads / num_kv_heads;
  if (rep > 1) {  // KV head j serves query heads j*rep .. j*rep+rep-1
    k = k.repeat_interleave(rep, /*dim=*/1);
    v = v.repeat_interleave(rep, /*dim=*/1);
  }
  auto out = compat::sdpa(q, k, v, mask, 1.0 / std::sqrt(static_cast<double>(head_dim)));  // [B, nh, T, hd]
  out = out.transpose(1, 2).reshape({B, T, num_heads * head_dim});
  return o_proj(out);
}

}  // namespace roboalign::qwen2
