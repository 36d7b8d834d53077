// ref: transformers v5.18.0 models/qwen2_5_vl/modeling_qwen2_5_vl.py
// Qwen2_5_VisionTransformerPretrainedModel (patch_embed, blocks, merger under the `visual.*` keys).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "model/qwen2/rms_norm.h"
#include "model/qwen2_5_vl/vision_block.h"
#include "model/qwen2_5_vl/vision_config.h"
#include "model/qwen2_5_vl/vision_layout.h"

namespace roboalign::qwen2_5_vl {

struct PatchMergerImpl : torch::nn::Module {
  PatchMergerImpl(const VisionConfig& c);
  // x: [S, hidden] (window order) → [S/4, out_hidden]
  torch::Tensor forward(const torch::Tensor& x);

  qwen2::RMSNorm ln_q{nullptr};
  torch::nn::Sequential mlp{nullptr};  // mlp.0 Linear, mlp.1 GELU (exact), mlp.2 Linear
  int64_t unit_dim;
};
TORCH_MODULE(PatchMerger);

struct VisionOutputs {
  torch::Tensor patch_embeds;              // [S, hidden], block-major order
  std::vector<torch::Tensor> block_outputs;  // each [S, hidden], un-permuted to block-major order
  torch::Tensor image_embeds;              // [S/4, out_hidden], merged raster order
};

struct VisionTransformerImpl : torch::nn::Module {
  explicit VisionTransformerImpl(const VisionConfig& c);

  // pixel_values: [S, C·T·P·P] in the processor's block-major order; grids per image.
  VisionOutputs forward(const torch::Tensor& pixel_values, const std::vector<GridThw>& grids, bool keep_blocks = false);

  VisionConfig config;
  torch::nn::Conv3d patch_embed_proj{nullptr};
  torch::nn::ModuleList blocks{nullptr};
  std::vector<VisionBlock> block_list;
  PatchMerger merger{nullptr};
};
TORCH_MODULE(VisionTransformer);

}  // namespace roboalign::qwen2_5_vl
