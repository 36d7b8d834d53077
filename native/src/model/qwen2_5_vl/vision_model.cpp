// ref: transformers v5.18.0 Qwen2_5_VisionTransformerPretrainedModel.forward, Qwen2_5_VLPatchMerger
#include "model/qwen2_5_vl/vision_model.h"

#include <algorithm>

#include "runtime/errors.h"

namespace roboalign::qwen2_5_vl {

PatchMergerImpl::PatchMergerImpl(const VisionConfig& c) : unit_dim(c.hidden_size * c.spatial_merge_size * c.spatial_merge_size) {
  ln_q = register_module("ln_q", qwen2::RMSNorm(c.hidden_size, c.rms_norm_eps));
  mlp = register_module("mlp", torch::nn::Sequential(torch::nn::Linear(unit_dim, unit_dim),
                                                     torch::nn::GELU(torch::nn::GELUOptions().approximate("none")),
                                                     torch::nn::Linear(unit_dim, c.out_hidden_size)));
}

torch::Tensor PatchMergerImpl::forward(const torch::Tensor& x) { return mlp->forward(ln_q(x).view({-1, unit_dim})); }

VisionTransformerImpl::VisionTransformerImpl(const VisionConfig& c) : config(c) {
  // Registered as patch_embed.proj so the Conv3d weight loads under its checkpoint name.
  auto patch_embed = register_module("patch_embed", std::make_shared<torch::nn::Module>());
  patch_embed_proj = patch_embed->register_module(
      "proj", torch::nn::Conv3d(torch::nn::Conv3dOptions(c.in_channels, c.hidden_size,
                                                         {c.temporal_patch_size, c.patch_size, c.patch_size})
                                    .stride({c.temporal_patch_size, c.patch_size, c.patch_size})
                                    .bias(false)));
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.depth; ++i) {
    block_list.emplace_back(c);
    blocks->push_back(block_list.back());
  }
  merger = register_module("merger", PatchMerger(c));
}

VisionOutputs VisionTransformerImpl::forward(const torch::Tensor& pixel_values, const std::vector<GridThw>& grids,
                                             bool keep_blocks) {
  const auto& c = config;
  int64_t expected = 0;
  for (const auto& g : grids) {
    check(g.t >= 1 && g.h % c.spatial_merge_size == 0 && g.w % c.spatial_merge_size == 0 && g.h > 0 && g.w > 0,
          ErrorCode::Shape, "image grid [" + std::to_string(g.t) + ", " + std::to_string(g.h) + ", " + std::to_string(g.w) +
                                "] must be positive with h and w multiples of spatial_merge_size");
    expected += g.t * g.h * g.w;
  }
  check(pixel_values.dim() == 2 && pixel_values.size(0) == expected && pixel_values.size(1) == c.patch_dim(), ErrorCode::Shape,
        "pixelValues hold " + std::to_string(pixel_values.numel()) + " values but the image grids need " +
            std::to_string(expected) + " patches × " + std::to_string(c.patch_dim()));
  const auto dtype = patch_embed_proj->weight.scalar_type();
  const auto device = patch_embed_proj->weight.device();
  const int64_t S = expected, unit = c.spatial_merge_size * c.spatial_merge_size;

  // Conv3d with stride = kernel over one patch is a matmul with the flattened kernel.
  auto w = patch_embed_proj->weight.view({c.hidden_size, c.patch_dim()});
  VisionOutputs out;
  auto x = pixel_values.to(device, dtype).matmul(w.t());  // [S, hidden]
  out.patch_embeds = x;

  auto layout = vision_layout(c, grids);
  auto window_index = layout.window_index.to(device);
  auto reverse = torch::argsort(window_index);
  auto to_window = [&](const torch::Tensor& t) { return t.view({S / unit, unit, -1}).index_select(0, window_index).view({S, -1}); };
  auto from_window = [&](const torch::Tensor& t) { return t.view({S / unit, unit, -1}).index_select(0, reverse).view({S, -1}); };
  x = to_window(x);
  auto emb = to_window(layout.rotary_emb.to(device));
  auto cos = emb.cos(), sin = emb.sin();
  for (int64_t i = 0; i < c.depth; ++i) {
    const bool full = std::find(c.fullatt_block_indexes.begin(), c.fullatt_block_indexes.end(), i) != c.fullatt_block_indexes.end();
    x = block_list[i]->forward(x, cos, sin, full ? layout.full_seqlens : layout.window_seqlens);
    if (keep_blocks) out.block_outputs.push_back(from_window(x));
  }
  out.image_embeds = merger(x).index_select(0, reverse);  // [S/4, out_hidden], raster order of merged units
  return out;
}

}  // namespace roboalign::qwen2_5_vl
