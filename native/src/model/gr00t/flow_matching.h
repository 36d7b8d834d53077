// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/flow_matching_action_head.py FlowmatchingActionHead
// forward (Beta time sampling, linear noising, masked velocity MSE) and get_action (Euler)
#pragma once
#include <torch/torch.h>

#include "model/gr00t/action_head.h"
#include "model/gr00t/batch.h"
#include "model/gr00t/run_context.h"

namespace roboalign::gr00t {

// t ~ (s − Beta(α, β)) / s per row ([B] float32; t = 0 is noise, 1 is data) and noise ~ N(0, I)
// ([B, T, A] float32), both drawn on the CPU from `seed` so every device gets the same values.
struct FlowDraw {
  torch::Tensor t;
  torch::Tensor noise;
};
FlowDraw draw_time_and_noise(const ActionHeadConfig& c, int64_t batch, uint64_t seed);

// trunc(t · buckets) as int64, as the reference's `.long()` cast does.
torch::Tensor discretize_time(const torch::Tensor& t, int64_t buckets);

struct FlowLoss {
  torch::Tensor loss;  // scalar: Σ mask·(pred − (actions − noise))² / Σ mask
  torch::Tensor pred;  // [B, T, A] predicted velocity
};
// t: [B], noise: [B, T, A] on the model's device.
FlowLoss flow_matching_loss(ActionExpertNet& net, const BatchTensors& b, const torch::Tensor& t, const torch::Tensor& noise,
                            const RunContext& run);

// Forward Euler from t = 0 (x0 = noise [B, T, A]) to t = 1 in `steps` steps at t_disc = int(k/N·buckets).
// The VL context, state feature and cross-attention keys/values are computed once.
torch::Tensor euler_sample(ActionExpertNet& net, const BatchTensors& b, const torch::Tensor& x0, int64_t steps);

}  // namespace roboalign::gr00t
