// ref: transformers v5.18.0 models/qwen2/modeling_qwen2.py Qwen2Model.forward, Qwen2ForCausalLM
#include "model/qwen2/qwen2_model.h"

#include <algorithm>

#include "runtime/errors.h"

namespace roboalign::qwen2 {

Qwen2ModelImpl::Qwen2ModelImpl(const TextConfig& c)
    : config(c), rotary(c.head_dim, c.rope_theta, c.mrope_section) {
  embed_tokens = register_module("embed_tokens", torch::nn::Embedding(c.vocab_size, c.hidden_size));
  layers = register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
    layer_list.emplace_back(c);
    layers->push_back(layer_list.back());
  }
  norm = register_module("norm", RMSNorm(c.hidden_size, c.rms_norm_eps));
}

ModelOutput Qwen2ModelImpl::forward(const torch::Tensor& inputs_embeds, const torch::Tensor& positions,
                                    const torch::Tensor& mask, KVCache* cache,
                                    const std::vector<int64_t>& hidden_indices, bool need_final) {
  const int64_t L = config.num_hidden_layers;
  for (int64_t idx : hidden_indices) {
    check(idx >= 0 && idx <= L, ErrorCode::InvalidArgument,
          "hidden layer index " + std::to_string(idx) + " is out of range 0.." + std::to_string(L) +
              " (0 = embeddings, L = after the final norm)");
  }
  int64_t last_needed = need_final ? L : 0;
  for (int64_t idx : hidden_indices) last_needed = std::max(last_needed, idx);
  const bool run_all = need_final || last_needed == L;

  ModelOutput out;
  std::vector<torch::Tensor> by_index(L + 1);
  auto rope = rotary(positions, inputs_embeds.scalar_type());
  torch::Tensor x = inputs_embeds;
  by_index[0] = x;
  const int64_t stop = run_all ? L : last_needed;
  for (int64_t i = 0; i < stop; ++i) {
    x = layer_list[i]->forward(x, rope, mask, cache, i);
    if (i + 1 < L) by_index[i + 1] = x;
  }
  if (cache) cache->length += inputs_embeds.size(1);
  if (run_all) {
    out.last_hidden = norm(x);
    by_index[L] = out.last_hidden;
  }
  for (int64_t idx : hidden_indices) out.hidden.push_back(by_index[idx]);
  return out;
}

Qwen2ForCausalLMImpl::Qwen2ForCausalLMImpl(const TextConfig& c) : config(c) {
  model = register_module("model", Qwen2Model(c));
  if (!c.tie_word_embeddings) {
    lm_head = register_module("lm_head", torch::nn::Linear(torch::nn::LinearOptions(c.hidden_size, c.vocab_size).bias(false)));
  }
}

torch::Tensor Qwen2ForCausalLMImpl::logits(const torch::Tensor& hidden) {
  return torch::nn::functional::linear(hidden, output_weight());
}

}  // namespace roboalign::qwen2
