// A right-padded token batch as it arrives from TypeScript, and its device tensors.
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace roboalign {

struct TokenBatch {
  std::vector<int32_t> ids;        // [B * T]
  int64_t batch = 0, seq_len = 0;
  std::vector<uint8_t> mask;       // [B * T] or empty (all real)
  std::vector<int32_t> positions;  // [B * T] or [3 * B * T] or empty
  std::vector<int32_t> labels;     // [B * T] or empty (training only)
  std::vector<float> pixel_values;  // [patches * patch_dim] of all images in the batch, in order
  std::vector<int32_t> image_grid_thw;  // [images * 3]
};

struct BatchTensors {
  torch::Tensor ids;        // [B, T] int64 (padding replaced by 0)
  torch::Tensor valid;      // [B, T] bool
  torch::Tensor positions;  // [3, B, T] int64
  torch::Tensor labels;     // [B, T] int64 or undefined
};

// Validates shapes and token ranges (E_SHAPE / E_TOKEN_RANGE) and moves the batch to `device`.
BatchTensors to_tensors(const TokenBatch& b, int64_t vocab_size, const torch::Device& device);

}  // namespace roboalign
