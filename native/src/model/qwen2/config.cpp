// Consistency checks of the text-model config.
#include "model/qwen2/config.h"

#include <numeric>
#include <string>

#include "runtime/errors.h"

namespace roboalign::qwen2 {

void TextConfig::validate() const {
  auto positive = [](int64_t v, const char* name) {
    check(v > 0, ErrorCode::Config, std::string("config field ") + name + " must be positive, got " + std::to_string(v));
  };
  positive(vocab_size, "vocab_size");
  positive(hidden_size, "hidden_size");
  positive(intermediate_size, "intermediate_size");
  positive(num_hidden_layers, "num_hidden_layers");
  positive(num_attention_heads, "num_attention_heads");
  positive(num_key_value_heads, "num_key_value_heads");
  positive(head_dim, "head_dim");
  check(head_dim % 2 == 0, ErrorCode::Config, "config field head_dim must be even for rotary embeddings, got " + std::to_string(head_dim));
  check(num_attention_heads % num_key_value_heads == 0, ErrorCode::Config,
        "num_attention_heads (" + std::to_string(num_attention_heads) + ") must be a multiple of num_key_value_heads (" +
            std::to_string(num_key_value_heads) + ")");
  check(rms_norm_eps > 0, ErrorCode::Config, "config field rms_norm_eps must be positive");
  check(rope_theta > 0, ErrorCode::Config, "config field rope_theta must be positive");
  if (!mrope_section.empty()) {
    check(mrope_section.size() == 3, ErrorCode::Config, "mrope_section must have 3 entries (t, h, w)");
    int64_t sum = std::accumulate(mrope_section.begin(), mrope_section.end(), int64_t{0});
    check(sum == head_dim / 2, ErrorCode::Config,
          "mrope_section must sum to head_dim/2 = " + std::to_string(head_dim / 2) + ", got " + std::to_string(sum));
  }
}

}  // namespace roboalign::qwen2
