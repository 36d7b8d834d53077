// ref: transformers v5.18.0 modeling_utils.py (_init_weights, resize_token_embeddings,
// _init_added_embeddings_weights_with_mean) for the initialisation rules.
#include "engine/lifecycle.h"

#include "compat/torch_compat.h"
#include "runtime/errors.h"

namespace roboalign {

namespace {

std::shared_ptr<TextModel> construct(const qwen2::TextConfig& config, const std::optional<VisionSpec>& vision,
                                     const std::string& device, const std::string& dtype) {
  config.validate();
  auto m = std::make_shared<TextModel>();
  m->device = parse_device(device);
  m->dtype = parse_dtype(dtype);
  m->net = qwen2::Qwen2ForCausalLM(config);
  if (vision) {
    vision->config.validate();
    check(vision->config.out_hidden_size == config.hidden_size, ErrorCode::Config,
          "vision_config.out_hidden_size (" + std::to_string(vision->config.out_hidden_size) +
              ") must equal the language model's hidden_size (" + std::to_string(config.hidden_size) + ")");
    check(vision->image_token_id >= 0 && vision->image_token_id < config.vocab_size, ErrorCode::Config,
          "image_token_id must be a token of the vocabulary");
    m->visual = m->net->register_module("visual", qwen2_5_vl::VisionTransformer(vision->config));
    m->image_token_id = vision->image_token_id;
  }
  return m;
}

void finish(TextModel& m) {
  m.net->to(m.device, m.dtype);
  m.net->eval();  // no dropout anywhere; training mode only matters for autograd, which is per call
}

}  // namespace

std::shared_ptr<TextModel> load_text_model(const qwen2::TextConfig& config, const std::optional<VisionSpec>& vision,
                                           const std::vector<safetensors::WeightEntry>& weights,
                                           const std::string& device, const std::string& dtype) {
  auto m = construct(config, vision, device, dtype);
  std::map<std::string, torch::Tensor> params;
  for (auto& [name, t] : m->named_parameters()) params[name] = t;
  std::vector<std::string> ignored;
  if (config.tie_word_embeddings) ignored.push_back("lm_head.weight");  // tied: embed_tokens is the output matrix
  safetensors::load_weights(weights, params, ignored);
  finish(*m);
  return m;
}

std::shared_ptr<TextModel> init_text_model(const qwen2::TextConfig& config, const std::optional<VisionSpec>& vision,
                                           const std::string& device, const std::string& dtype, uint64_t seed) {
  auto m = construct(config, vision, device, dtype);
  auto gen = compat::seeded_generator(torch::Device(torch::kCPU), seed);
  torch::NoGradGuard no_grad;
  for (auto& [name, t] : m->named_parameters()) {
    if (is_norm_name(name)) {
      t.fill_(1.0);
    } else if (is_bias_name(name)) {
      t.zero_();
    } else {
      t.copy_(at::normal(0.0, config.initializer_range, t.sizes(), gen, torch::kFloat32));
    }
  }
  finish(*m);
  return m;
}

namespace {

// Rows [old, new) of `weight` ([new, H]) drawn around the mean of rows [0, old).
void init_added_rows(torch::Tensor weight, int64_t old_rows, at::Generator& gen) {
  const int64_t added = weight.size(0) - old_rows;
  if (added <= 0) return;
  auto old = weight.narrow(0, 0, old_rows).to(torch::kCPU, torch::kFloat32);
  auto mean = old.mean(0);
  auto centered = old - mean;
  auto cov = centered.t().matmul(centered) / static_cast<double>(old_rows);
  auto [chol, info] = at::linalg_cholesky_ex(1e-9 * cov);
  torch::Tensor rows;
  if (info.item<int64_t>() == 0) {
    auto z = at::normal(0.0, 1.0, {added, weight.size(1)}, gen, torch::kFloat32);
    rows = mean + z.matmul(chol.t());
  } else {
    rows = mean.unsqueeze(0).expand({added, weight.size(1)});
  }
  weight.narrow(0, old_rows, added).copy_(rows);
}

}  // namespace

void resize_token_embeddings(TextModel& m, int64_t new_vocab, uint64_t seed) {
  check(new_vocab > 0, ErrorCode::InvalidArgument, "new vocabulary size must be positive");
  auto& cfg = m.net->config;
  const int64_t old_vocab = cfg.vocab_size;
  if (new_vocab == old_vocab) return;
  auto gen = compat::seeded_generator(torch::Device(torch::kCPU), seed);
  torch::NoGradGuard no_grad;
  const int64_t keep = std::min(old_vocab, new_vocab);
  auto resized = [&](const torch::Tensor& old) {
    auto w = torch::empty({new_vocab, old.size(1)}, old.options());
    w.narrow(0, 0, keep).copy_(old.narrow(0, 0, keep));
    init_added_rows(w, old_vocab, gen);
    return w;
  };
  auto& emb = m.net->model->embed_tokens;
  auto new_emb = resized(emb->weight);
  emb->weight.set_data(new_emb);
  emb->options.num_embeddings(new_vocab);
  if (!cfg.tie_word_embeddings) {
    auto new_head = resized(m.net->lm_head->weight);
    m.net->lm_head->weight.set_data(new_head);
    m.net->lm_head->options.out_features(new_vocab);
  }
  cfg.vocab_size = new_vocab;
  m.net->model->config.vocab_size = new_vocab;
  // Parameter shapes changed: optimizer state no longer matches.
  m.optimizer.reset();
  m.trainable.clear();
  m.trainable_names.clear();
}

ModelSummary summarize(const TextModel& m) {
  ModelSummary s;
  for (const auto& [name, t] : m.named_parameters()) {
    s.num_parameters += t.numel();
    if (t.requires_grad()) s.num_trainable += t.numel();
  }
  s.vocab_size = m.config().vocab_size;
  s.dtype = dtype_label(m.dtype);
  s.device = m.device.str();
  s.tied = m.config().tie_word_embeddings;
  return s;
}

safetensors::SaveResult save_text_model(const TextModel& m, const std::string& dir, const std::string& dtype,
                                        uint64_t max_shard_bytes) {
  return safetensors::save_weights(m.named_parameters(), dir, parse_dtype(dtype), max_shard_bytes);
}

}  // namespace roboalign
