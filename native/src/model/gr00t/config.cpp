// Consistency checks and presets of the action-head config (N1.5 values from the checkpoint's
// config.json as quoted in shared/reference/action-head.md §4).
#include "model/gr00t/config.h"

#include "runtime/errors.h"

namespace roboalign::gr00t {

void ActionHeadConfig::validate() const {
  auto positive = [](int64_t v, const char* name) {
    check(v > 0, ErrorCode::Config, std::string("action head config field ") + name + " must be positive, got " + std::to_string(v));
  };
  positive(action_dim, "action_dim");
  positive(action_horizon, "action_horizon");
  positive(max_state_dim, "max_state_dim");
  positive(input_embedding_dim, "input_embedding_dim");
  positive(hidden_size, "hidden_size");
  positive(backbone_embedding_dim, "backbone_embedding_dim");
  positive(backbone_feature_dim, "backbone_feature_dim");
  positive(dit_num_layers, "dit_num_layers");
  positive(dit_num_heads, "dit_num_heads");
  positive(dit_head_dim, "dit_head_dim");
  positive(vl_num_layers, "vl_num_layers");
  positive(vl_num_heads, "vl_num_heads");
  positive(vl_head_dim, "vl_head_dim");
  positive(num_target_vision_tokens, "num_target_vision_tokens");
  positive(max_seq_len, "max_seq_len");
  positive(max_num_embodiments, "max_num_embodiments");
  positive(num_timestep_buckets, "num_timestep_buckets");
  positive(num_inference_timesteps, "num_inference_timesteps");
  check(dit_num_heads * dit_head_dim == input_embedding_dim, ErrorCode::Config,
        "dit_num_heads · dit_head_dim (" + std::to_string(dit_num_heads * dit_head_dim) + ") must equal input_embedding_dim (" +
            std::to_string(input_embedding_dim) + ")");
  check(vl_num_heads * vl_head_dim == backbone_embedding_dim, ErrorCode::Config,
        "vl_num_heads · vl_head_dim (" + std::to_string(vl_num_heads * vl_head_dim) + ") must equal backbone_embedding_dim (" +
            std::to_string(backbone_embedding_dim) + ")");
  // Both sinusoids split their width into equal sin and cos halves.
  check(input_embedding_dim % 2 == 0, ErrorCode::Config, "input_embedding_dim must be even (sin/cos halves of the action time encoding)");
  check(max_seq_len >= action_horizon, ErrorCode::Config,
        "max_seq_len (" + std::to_string(max_seq_len) + ") must cover action_horizon (" + std::to_string(action_horizon) + ")");
  check(dropout >= 0 && dropout < 1, ErrorCode::Config, "dropout must lie in [0, 1), got " + std::to_string(dropout));
  check(noise_beta_alpha > 0 && noise_beta_beta > 0, ErrorCode::Config, "noise_beta_alpha and noise_beta_beta must be positive");
  check(noise_s > 0 && noise_s <= 1, ErrorCode::Config, "noise_s must lie in (0, 1], got " + std::to_string(noise_s));
}

ActionHeadConfig preset_config(const std::string& name) {
  if (name == "gr00t-n1.5") return ActionHeadConfig{};
  if (name == "tiny") {
    ActionHeadConfig c;
    c.action_dim = 8;
    c.action_horizon = 4;
    c.max_state_dim = 6;
    c.input_embedding_dim = 32;
    c.hidden_size = 24;
    c.backbone_embedding_dim = 40;
    c.backbone_feature_dim = 40;
    c.dit_num_layers = 4;
    c.dit_num_heads = 2;
    c.dit_head_dim = 16;
    c.vl_num_layers = 2;
    c.vl_num_heads = 2;
    c.vl_head_dim = 20;
    c.num_target_vision_tokens = 3;
    c.max_seq_len = 8;
    c.max_num_embodiments = 2;
    return c;
  }
  std::string known;
  for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
  fail(ErrorCode::Config, "unknown action head preset \"" + name + "\" (known: " + known + ")");
}

std::vector<std::string> preset_names() { return {"gr00t-n1.5", "tiny"}; }

}  // namespace roboalign::gr00t
