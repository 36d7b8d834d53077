// ref: transformers v5.18.0 models/qwen2/modeling_qwen2.py Qwen2Model / Qwen2ForCausalLM, under the
// checkpoint key names (model.embed_tokens, model.layers.N.*, model.norm, lm_head).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "model/qwen2/config.h"
#include "model/qwen2/decoder_layer.h"
#include "model/qwen2/kv_cache.h"
#include "model/qwen2/rms_norm.h"
#include "model/qwen2/rotary.h"

namespace roboalign::qwen2 {

struct ModelOutput {
  torch::Tensor last_hidden;          // [B, T, H] after the final norm (undefined if stopped early)
  std::vector<torch::Tensor> hidden;  // requested Hugging Face hidden_states, in request order
};

struct Qwen2ModelImpl : torch::nn::Module {
  explicit Qwen2ModelImpl(const TextConfig& c);

  // inputs_embeds: [B, T, H]; positions: [3, B, T] int64; mask: [B, 1, T, S] bool.
  // hidden_indices use Hugging Face's `hidden_states` numbering: 0 = embeddings, i = output of
  // layer i-1, L = after the final norm. With need_final=false the pass stops at the last
  // layer a requested index needs.
  ModelOutput forward(const torch::Tensor& inputs_embeds, const torch::Tensor& positions, const torch::Tensor& mask,
                      KVCache* cache, const std::vector<int64_t>& hidden_indices, bool need_final = true);

  TextConfig config;
  MRotaryEmbedding rotary;
  torch::nn::Embedding embed_tokens{nullptr};
  torch::nn::ModuleList layers{nullptr};
  std::vector<DecoderLayer> layer_list;
  RMSNorm norm{nullptr};
};
TORCH_MODULE(Qwen2Model);

struct Qwen2ForCausalLMImpl : torch::nn::Module {
  explicit Qwen2ForCausalLMImpl(const TextConfig& c);

  torch::Tensor embed(const torch::Tensor& ids) { return model->embed_tokens(ids); }
  // hidden: [..., H] → logits [..., V]; the tied case reuses embed_tokens.weight.
  torch::Tensor logits(const torch::Tensor& hidden);
  torch::Tensor& output_weight() { return config.tie_word_embeddings ? model->embed_tokens->weight : lm_head->weight; }

  TextConfig config;
  Qwen2Model model{nullptr};
  torch::nn::Linear lm_head{nullptr};  // absent when tie_word_embeddings
};
TORCH_MODULE(Qwen2ForCausalLM);

}  // namespace roboalign::qwen2
