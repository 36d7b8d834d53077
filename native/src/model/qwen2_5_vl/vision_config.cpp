// Consistency checks of the vision config.
#include "model/qwen2_5_vl/vision_config.h"

#include <string>

#include "runtime/errors.h"

namespace roboalign::qwen2_5_vl {

void VisionConfig::validate() const {
  auto positive = [](int64_t v, const char* name) {
    check(v > 0, ErrorCode::Config, std::string("vision_config.") + name + " must be positive, got " + std::to_string(v));
  };
  positive(depth, "depth");
  positive(hidden_size, "hidden_size");
  positive(intermediate_size, "intermediate_size");
  positive(num_heads, "num_heads");
  positive(out_hidden_size, "out_hidden_size");
  positive(patch_size, "patch_size");
  positive(temporal_patch_size, "temporal_patch_size");
  positive(spatial_merge_size, "spatial_merge_size");
  positive(window_size, "window_size");
  check(hidden_size % num_heads == 0, ErrorCode::Config, "vision_config.hidden_size must be a multiple of num_heads");
  check(head_dim() % 4 == 0, ErrorCode::Config, "vision head_dim must be a multiple of 4 for the 2-D rotary embedding");
  check(window_size % (spatial_merge_size * patch_size) == 0, ErrorCode::Config,
        "vision_config.window_size must be a multiple of spatial_merge_size × patch_size");
  for (int64_t i : fullatt_block_indexes) {
    check(i >= 0 && i < depth, ErrorCode::Config, "fullatt_block_indexes entry " + std::to_string(i) + " is outside 0..depth-1");
  }
}

}  // namespace roboalign::qwen2_5_vl
