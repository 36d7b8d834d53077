// ref: transformers v5.18.0 Qwen2_5_VLModel.forward (get_image_features + masked_scatter)
#include "engine/multimodal.h"

#include "runtime/errors.h"

namespace roboalign {

std::vector<qwen2_5_vl::GridThw> parse_grids(const std::vector<int32_t>& flat) {
  check(flat.size() % 3 == 0, ErrorCode::Shape, "imageGridThw must hold 3 numbers (t, h, w) per image");
  std::vector<qwen2_5_vl::GridThw> grids;
  for (size_t i = 0; i < flat.size(); i += 3) grids.push_back({flat[i], flat[i + 1], flat[i + 2]});
  return grids;
}

torch::Tensor input_embeddings(TextModel& m, const torch::Tensor& ids, const torch::Tensor& valid,
                               const std::vector<float>& pixel_values, const std::vector<int32_t>& image_grid_thw) {
  auto embeds = m.net->embed(ids);
  const bool has_images = !image_grid_thw.empty();
  if (!m.has_vision()) {
    check(!has_images, ErrorCode::InvalidArgument, "this model has no vision tower: it cannot take images");
    return embeds;
  }
  auto slots = (ids == m.image_token_id) & valid;  // [B, T]
  const int64_t n_slots = slots.sum().item<int64_t>();
  if (!has_images) {
    check(n_slots == 0, ErrorCode::Shape,
          "the batch holds " + std::to_string(n_slots) + " image tokens but no images were given");
    return embeds;
  }
  auto grids = parse_grids(image_grid_thw);
  const auto& vc = m.visual->config;
  const int64_t patch_dim = vc.patch_dim();
  check(pixel_values.size() % patch_dim == 0, ErrorCode::Shape,
        "pixelValues length " + std::to_string(pixel_values.size()) + " is not a multiple of the patch size " + std::to_string(patch_dim));
  auto pixels = torch::from_blob(const_cast<float*>(pixel_values.data()),
                                 {static_cast<int64_t>(pixel_values.size()) / patch_dim, patch_dim}, torch::kFloat32);
  int64_t tokens = 0;
  const int64_t unit = vc.spatial_merge_size * vc.spatial_merge_size;
  for (const auto& g : grids) tokens += g.t * g.h * g.w / unit;
  check(tokens == n_slots, ErrorCode::Shape,
        "the images need " + std::to_string(tokens) + " image tokens but the batch holds " + std::to_string(n_slots) +
            ". Fix: expand each <|image_pad|> to grid_h·grid_w/4 copies, in image order.");
  auto image_embeds = m.visual->forward(pixels, grids).image_embeds.to(embeds.scalar_type());  // [tokens, hidden]
  return embeds.masked_scatter(slots.unsqueeze(-1), image_embeds);
}

}  // namespace roboalign
