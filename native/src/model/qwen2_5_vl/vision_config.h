// Qwen2.5-VL vision tower hyper-parameters (transformers Qwen2_5_VLVisionConfig).
#pragma once
#include <cstdint>
#include <vector>

namespace roboalign::qwen2_5_vl {

struct VisionConfig {
  int64_t depth = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;
  int64_t num_heads = 0;
  int64_t in_channels = 3;
  int64_t out_hidden_size = 0;
  int64_t patch_size = 14;
  int64_t temporal_patch_size = 2;
  int64_t spatial_merge_size = 2;
  int64_t window_size = 112;
  std::vector<int64_t> fullatt_block_indexes;
  double rms_norm_eps = 1e-6;

  int64_t head_dim() const { return hidden_size / num_heads; }
  int64_t patch_dim() const { return in_channels * temporal_patch_size * patch_size * patch_size; }
  void validate() const;  // throws CoreError(Config)
};

}  // namespace roboalign::qwen2_5_vl
