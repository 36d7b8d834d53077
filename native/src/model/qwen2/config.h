// Qwen2 / Qwen2.5 text-model hyper-parameters (transformers Qwen2Config; the text half of
// Qwen2_5_VLConfig). Parsed and validated from config.json on the TypeScript side.
#pragma once
#include <cstdint>
#include <vector>

namespace roboalign::qwen2 {

struct TextConfig {
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;
  int64_t num_hidden_layers = 0;
  int64_t num_attention_heads = 0;
  int64_t num_key_value_heads = 0;
  int64_t head_dim = 0;
  double rms_norm_eps = 1e-6;
  double rope_theta = 1e6;
  std::vector<int64_t> mrope_section;  // empty = plain 1-D RoPE
  bool tie_word_embeddings = false;
  int64_t max_position_embeddings = 32768;
  double initializer_range = 0.02;

  // Throws CoreError(Config) naming the offending field and value.
  void validate() const;
};

}  // namespace roboalign::qwen2
