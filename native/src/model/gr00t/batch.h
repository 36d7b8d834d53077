// One batch of action-head inputs as it crosses the N-API boundary (copied, row-major), and its
// tensors on the model's device: backbone features, state, action chunk, masks and embodiment.
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "model/gr00t/config.h"

namespace roboalign::gr00t {

struct ActionBatch {
  int64_t batch = 0;
  int64_t vl_len = 0;
  std::vector<float> features;       // [B, L, backbone_feature_dim]
  std::vector<uint8_t> vl_mask;      // [B, L], 1 = real token; empty = all real
  std::vector<float> state;          // [B, state_dim], state_dim <= max_state_dim (zero-padded here)
  std::vector<float> actions;        // [B, T, action_dim_in], action_dim_in <= action_dim; empty when sampling
  std::vector<uint8_t> action_mask;  // [B, T, action_dim_in], 1 = counts in the loss; empty = all given dims
  std::vector<int32_t> embodiment;   // [B], or one id for the whole batch
};

struct BatchTensors {
  torch::Tensor features;     // [B, L, F] model dtype
  torch::Tensor key_mask;     // [B, 1, 1, L] bool when config.use_vl_mask, else undefined
  torch::Tensor state;        // [B, 1, S] model dtype, zero-padded
  torch::Tensor actions;      // [B, T, A] model dtype, zero-padded (undefined without actions)
  torch::Tensor action_mask;  // [B, T, A] float32, 0 on the padded dims
  torch::Tensor cat_ids;      // [B] int64
};

// Checks every size against the config (CoreError Shape / InvalidArgument with the expected
// size) and builds the tensors on `device`.
BatchTensors to_tensors(const ActionBatch& b, const ActionHeadConfig& c, const torch::Device& device, torch::ScalarType dtype,
                        bool need_actions);

}  // namespace roboalign::gr00t
