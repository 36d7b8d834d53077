// GR00T N1.5 flow-matching action head hyper-parameters (Isaac-GR00T FlowmatchingActionHeadConfig,
// its diffusion_model_cfg and vl_self_attention_cfg), flattened into one struct. The TypeScript
// side resolves and writes them; presets mirror the N1.5 checkpoint config and a tiny test size.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace roboalign::gr00t {

struct ActionHeadConfig {
  int64_t action_dim = 32;      // A: padded action width
  int64_t action_horizon = 16;  // T: actions per chunk
  int64_t max_state_dim = 64;   // S: padded state width
  int64_t input_embedding_dim = 1536;     // D: DiT width (= dit_num_heads · dit_head_dim)
  int64_t hidden_size = 1024;             // H: state-MLP hidden, DiT output, decoder width
  int64_t backbone_embedding_dim = 2048;  // Dvl: VL width inside the head (= vl_num_heads · vl_head_dim)
  // Width of the features the backbone hands over; when it differs from Dvl a trainable
  // Linear (GR00T's backbone.eagle_linear, `project_to_dim`) maps it to Dvl first.
  int64_t backbone_feature_dim = 2048;
  int64_t dit_num_layers = 16;
  int64_t dit_num_heads = 32;
  int64_t dit_head_dim = 48;
  int64_t vl_num_layers = 4;
  int64_t vl_num_heads = 32;
  int64_t vl_head_dim = 64;
  double dropout = 0.2;  // DiT and VL adapter, training only
  int64_t num_target_vision_tokens = 32;  // learned future tokens
  int64_t max_seq_len = 1024;             // rows of position_embedding (only the first T are used)
  int64_t max_num_embodiments = 32;       // E: category-specific weight slots
  double noise_beta_alpha = 1.5;
  double noise_beta_beta = 1.0;
  double noise_s = 0.999;
  int64_t num_timestep_buckets = 1000;
  int64_t num_inference_timesteps = 4;
  // false = GR00T-faithful (the VL attention mask is ignored); true = key-padding mask in the
  // adapter self-attention and the DiT cross-attention.
  bool use_vl_mask = false;

  bool projects_backbone() const { return backbone_feature_dim != backbone_embedding_dim; }
  // Throws CoreError(Config) naming the offending field and value.
  void validate() const;
};

// "gr00t-n1.5" (the N1.5 checkpoint sizes) or "tiny" (a few hundred thousand parameters, for tests
// and the embedded default). Throws CoreError(Config) listing the known names.
ActionHeadConfig preset_config(const std::string& name);
std::vector<std::string> preset_names();

}  // namespace roboalign::gr00t
