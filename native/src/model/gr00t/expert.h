// A GR00T-style action expert behind a handle: the network, its device and dtype, and its AdamW
// state. Only the executor thread of `device` touches it.
#pragma once
#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/text_model.h"  // OptimizerConfig, parse_device/dtype
#include "model/gr00t/action_head.h"
#include "model/gr00t/config.h"
#include "model/safetensors/weights.h"

namespace roboalign::gr00t {

struct ActionExpert {
  ActionHeadConfig config;
  ActionExpertNet net{nullptr};
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat32;
  OptimizerConfig optim_config;
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::vector<torch::Tensor> trainable;
  std::vector<std::string> trainable_names;  // checkpoint keys of `trainable`, same order

  // Parameters under their checkpoint keys (action_head.*, backbone.eagle_linear.*).
  std::vector<std::pair<std::string, torch::Tensor>> named_parameters() const;
};

struct ActionExpertSummary {
  int64_t num_parameters = 0, num_trainable = 0;
  std::string dtype, device;
};
ActionExpertSummary summarize(const ActionExpert& e);

// Fresh weights as GR00T initialises a new head (reference §5.10), from `seed`.
std::shared_ptr<ActionExpert> init_action_expert(const ActionHeadConfig& c, const std::string& device, const std::string& dtype,
                                                 uint64_t seed);
// Weights from safetensors entries; fails on missing or unexpected keys and on shape mismatches.
std::shared_ptr<ActionExpert> load_action_expert(const ActionHeadConfig& c, const std::vector<safetensors::WeightEntry>& weights,
                                                 const std::string& device, const std::string& dtype);
// model.safetensors in `dir` (the caller writes the config JSON beside it).
safetensors::SaveResult save_action_expert(const ActionExpert& e, const std::string& dir, const std::string& dtype);

// AdamW groups as GR00T's trainer builds them: no weight decay on names containing "bias" and on
// LayerNorm weights (so the category-specific `.b` and the embeddings are decayed); `freeze`
// patterns (`*` wildcard) keep parameters fixed. Returns (trainable, frozen) element counts.
std::pair<int64_t, int64_t> configure_optimizer(ActionExpert& e, const OptimizerConfig& config);

}  // namespace roboalign::gr00t
