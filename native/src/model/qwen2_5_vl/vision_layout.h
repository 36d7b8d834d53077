// ref: transformers v5.18.0 models/qwen2_5_vl/modeling_qwen2_5_vl.py Qwen2_5_VisionTransformerPretrainedModel
// (rot_pos_emb, get_window_index): where each patch sits and how patches group into windows.
#pragma once
#include <torch/torch.h>

#include <vector>

#include "model/qwen2_5_vl/vision_config.h"

namespace roboalign::qwen2_5_vl {

struct GridThw {
  int64_t t, h, w;  // patch grid (h, w in patches, not merged units)
};

struct VisionLayout {
  torch::Tensor rotary_emb;          // [S, head_dim] float32: [h·inv_freq, w·inv_freq] twice, block-major order
  torch::Tensor window_index;        // [S/4] int64: merged units in window order
  std::vector<int64_t> window_seqlens;  // cumulative patch boundaries of non-empty windows (cu_window_seqlens)
  std::vector<int64_t> full_seqlens;    // cumulative patch boundaries per image frame (cu_seqlens)
};

VisionLayout vision_layout(const VisionConfig& c, const std::vector<GridThw>& grids);

}  // namespace roboalign::qwen2_5_vl
