// A loaded text model and its training state: what a ModelHandle points at. Only the executor
// thread of `device` touches it.
#pragma once
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "model/qwen2/qwen2_model.h"
#include "model/qwen2_5_vl/vision_model.h"

namespace roboalign {

struct OptimizerConfig {
  double lr = 1e-5;
  double beta1 = 0.9, beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double max_grad_norm = 1.0;  // 0 = no clipping
  std::vector<std::string> freeze;
};

// The vision half of a Qwen2.5-VL checkpoint, when it has one.
struct VisionSpec {
  qwen2_5_vl::VisionConfig config;
  int64_t image_token_id = -1;
};

struct TextModel {
  qwen2::Qwen2ForCausalLM net{nullptr};
  qwen2_5_vl::VisionTransformer visual{nullptr};  // registered in `net` as "visual" when present
  int64_t image_token_id = -1;
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat32;
  OptimizerConfig optim_config;
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::vector<torch::Tensor> trainable;  // parameters the optimizer updates
  std::vector<std::string> trainable_names;

  const qwen2::TextConfig& config() const { return net->config; }
  bool has_vision() const { return !visual.is_empty(); }
  // Parameter tensors by checkpoint name (the tied lm_head is not a separate parameter).
  std::vector<std::pair<std::string, torch::Tensor>> named_parameters() const;
};

// Parameter classes shared by initialisation and weight-decay grouping.
inline bool is_bias_name(const std::string& n) { return n.size() > 5 && n.compare(n.size() - 5, 5, ".bias") == 0; }
inline bool is_norm_name(const std::string& n) { return n.find("norm") != std::string::npos || n.find(".ln_q.") != std::string::npos; }

torch::Device parse_device(const std::string& name);
torch::ScalarType parse_dtype(const std::string& name);
std::string dtype_label(torch::ScalarType type);

}  // namespace roboalign
