// Creating, loading, resizing and saving text models.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/text_model.h"
#include "model/safetensors/weights.h"

namespace roboalign {

std::shared_ptr<TextModel> load_text_model(const qwen2::TextConfig& config, const std::optional<VisionSpec>& vision,
                                           const std::vector<safetensors::WeightEntry>& weights,
                                           const std::string& device, const std::string& dtype);

// Random weights initialised as Hugging Face's Qwen2PreTrainedModel._init_weights does:
// linear and embedding weights ~ N(0, initializer_range), biases 0, norm weights 1.
std::shared_ptr<TextModel> init_text_model(const qwen2::TextConfig& config, const std::optional<VisionSpec>& vision,
                                           const std::string& device, const std::string& dtype, uint64_t seed);

// resize_token_embeddings with Hugging Face's mean resizing: new rows ~ N(mean, 1e-9·cov) of the
// old rows when that covariance is positive definite, else the mean itself. Drops the optimizer.
void resize_token_embeddings(TextModel& m, int64_t new_vocab, uint64_t seed);

struct ModelSummary {
  int64_t num_parameters = 0, num_trainable = 0, vocab_size = 0;
  std::string dtype, device;
  bool tied = false;
};
ModelSummary summarize(const TextModel& m);

safetensors::SaveResult save_text_model(const TextModel& m, const std::string& dir, const std::string& dtype,
                                        uint64_t max_shard_bytes);

}  // namespace roboalign
