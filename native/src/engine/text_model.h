// A loaded text model and its training state: what a ModelHandle points at. Only the executor
// thread of `device` touches it.
#pragma once
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "model/qwen2/qwen2_model.h"

namespace roboalign {

struct OptimizerConfig {
  double lr = 1e-5;
  double beta1 = 0.9, beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double max_grad_norm = 1.0;  // 0 = no clipping
  std::vector<std::string> freeze;
};

struct TextModel {
  qwen2::Qwen2ForCausalLM net{nullptr};
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat32;
  OptimizerConfig optim_config;
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::vector<torch::Tensor> trainable;  // parameters the optimizer updates
  std::vector<std::string> trainable_names;

  const qwen2::TextConfig& config() const { return net->config; }
  // Parameter tensors by checkpoint name (the tied lm_head is not a separate parameter).
  std::vector<std::pair<std::string, torch::Tensor>> named_parameters() const;
};

torch::Device parse_device(const std::string& name);
torch::ScalarType parse_dtype(const std::string& name);
std::string dtype_label(torch::ScalarType type);

}  // namespace roboalign
