// ref: transformers v5.18.0 Qwen2_5_VisionTransformerPretrainedModel.rot_pos_emb / get_window_index
#include "model/qwen2_5_vl/vision_layout.h"

#include <cmath>

namespace roboalign::qwen2_5_vl {

VisionLayout vision_layout(const VisionConfig& c, const std::vector<GridThw>& grids) {
  const int64_t m = c.spatial_merge_size;
  const int64_t rot_dim = c.head_dim() / 2;  // Qwen2_5_VisionRotaryEmbedding(head_dim // 2)
  auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
  auto exponent = torch::arange(0, rot_dim, 2, torch::kInt64).to(torch::kFloat32) / static_cast<float>(rot_dim);
  auto inv_freq = 1.0 / torch::pow(torch::scalar_tensor(10000.0, f32), exponent);  // [head_dim/4]

  std::vector<int64_t> hpos, wpos, win_index, win_seqlens{0}, full_seqlens{0};
  const int64_t ws = c.window_size / m / c.patch_size;  // merged units per window side
  int64_t unit_offset = 0;
  for (const auto& g : grids) {
    // Patch coordinates in the processor's block-major order (2×2 merge blocks in raster order).
    for (int64_t t = 0; t < g.t; ++t) {
      for (int64_t bh = 0; bh < g.h / m; ++bh)
        for (int64_t bw = 0; bw < g.w / m; ++bw)
          for (int64_t mh = 0; mh < m; ++mh)
            for (int64_t mw = 0; mw < m; ++mw) {
              hpos.push_back(bh * m + mh);
              wpos.push_back(bw * m + mw);
            }
      full_seqlens.push_back(full_seqlens.back() + g.h * g.w);
    }
    // Windows over the merged grid, padded bottom/right by ws - g % ws (a whole empty row or
    // column when g is a multiple of ws); empty windows are dropped.
    const int64_t lh = g.h / m, lw = g.w / m;
    const int64_t pad_h = ws - lh % ws, pad_w = ws - lw % ws;
    const int64_t nh = (lh + pad_h) / ws, nw = (lw + pad_w) / ws;
    for (int64_t t = 0; t < g.t; ++t) {
      for (int64_t wy = 0; wy < nh; ++wy)
        for (int64_t wx = 0; wx < nw; ++wx) {
          int64_t count = 0;
          for (int64_t y = wy * ws; y < (wy + 1) * ws; ++y)
            for (int64_t x = wx * ws; x < (wx + 1) * ws; ++x) {
              if (y >= lh || x >= lw) continue;
              win_index.push_back(unit_offset + t * lh * lw + y * lw + x);
              ++count;
            }
          if (count > 0) win_seqlens.push_back(win_seqlens.back() + count * m * m);
        }
    }
    unit_offset += g.t * lh * lw;
  }
  VisionLayout out;
  auto h = torch::tensor(hpos, torch::kInt64).to(torch::kFloat32).unsqueeze(1);
  auto w = torch::tensor(wpos, torch::kInt64).to(torch::kFloat32).unsqueeze(1);
  auto freqs = torch::cat({h * inv_freq, w * inv_freq}, 1);  // [S, head_dim/2]
  out.rotary_emb = torch::cat({freqs, freqs}, 1);            // [S, head_dim]
  out.window_index = torch::tensor(win_index, torch::kInt64);
  out.window_seqlens = win_seqlens;
  out.full_seqlens = full_seqlens;
  return out;
}

}  // namespace roboalign::qwen2_5_vl
