// Token embeddings with the images merged in: the vision tower's embeddings replace the
// `<|image_pad|>` positions in order (Qwen2.5-VL's masked_scatter).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "engine/text_model.h"
#include "engine/token_batch.h"
#include "model/qwen2_5_vl/vision_layout.h"

namespace roboalign {

std::vector<qwen2_5_vl::GridThw> parse_grids(const std::vector<int32_t>& flat);

// ids: [B, T] int64 on the model device; valid: [B, T] bool. Returns [B, T, hidden].
torch::Tensor input_embeddings(TextModel& m, const torch::Tensor& ids, const torch::Tensor& valid,
                               const std::vector<float>& pixel_values, const std::vector<int32_t>& image_grid_thw);

}  // namespace roboalign
