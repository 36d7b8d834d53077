// The jobs an action expert runs: predicted velocity and flow-matching loss at given t/noise
// (parity checks), gradients, one AdamW training step, and Euler sampling.
#pragma once
#include <torch/torch.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/gr00t/batch.h"
#include "model/gr00t/expert.h"

namespace roboalign::gr00t {

// Where t and noise come from: given ([B] and [B, T, A] float32), or drawn from `seed`.
struct NoiseSpec {
  std::vector<float> t;
  std::vector<float> noise;
  std::optional<uint64_t> seed;
};

struct VelocityResult {
  torch::Tensor velocity;  // [B, T, A] float32 CPU
  torch::Tensor t;         // [B] the times used
};
// No dropout: the deterministic map (features, state, x_t(t, noise)) → predicted velocity.
VelocityResult predict_velocity(ActionExpert& e, const ActionBatch& b, const NoiseSpec& n);

struct LossResult {
  double loss = 0;
  torch::Tensor t;  // [B] float32 CPU: the times used
  std::vector<std::pair<std::string, torch::Tensor>> grads;  // float32 CPU, when asked
};
// Loss without dropout; with_grads: d loss / dθ for `names` (all trainable parameters when empty).
LossResult flow_loss(ActionExpert& e, const ActionBatch& b, const NoiseSpec& n, bool with_grads, const std::vector<std::string>& names);

struct TrainStepResult {
  double loss = 0;
  double grad_norm = 0;  // before clipping
  bool applied = false;  // false when the loss or the gradient norm was not finite
};
// Draws t and noise from `seed`, runs with dropout (masks from the same seed), clips, AdamW at `lr`.
TrainStepResult train_step(ActionExpert& e, const ActionBatch& b, double lr, uint64_t seed);

// Euler sampling from noise (given [B, T, A], or drawn from `seed`) → [B, T, A] float32 CPU.
torch::Tensor sample_actions(ActionExpert& e, const ActionBatch& b, const NoiseSpec& n, int64_t steps);

}  // namespace roboalign::gr00t
