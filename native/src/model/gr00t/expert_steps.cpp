// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/flow_matching_action_head.py (forward, get_action)
// with the HF Trainer's step (clip_grad_norm_ at max_grad_norm, then AdamW).
#include "model/gr00t/expert_steps.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "compat/torch_compat.h"
#include "model/gr00t/flow_matching.h"
#include "runtime/errors.h"
#include "train/optimizer.h"

namespace roboalign::gr00t {

namespace {

// Dropout masks come from a stream separate from the t/noise draw of the same seed.
constexpr uint64_t kDropoutStream = 0x9E3779B97F4A7C15ull;

FlowDraw resolve(const ActionHeadConfig& c, int64_t B, const NoiseSpec& n, bool need_t) {
  const bool given = !n.noise.empty() || !n.t.empty();
  if (!given) {
    check(n.seed.has_value(), ErrorCode::InvalidArgument, "give either t and noise, or a seed to draw them from");
    auto d = draw_time_and_noise(c, B, *n.seed);
    return d;
  }
  const int64_t want = B * c.action_horizon * c.action_dim;
  check(static_cast<int64_t>(n.noise.size()) == want, ErrorCode::Shape,
        "noise has " + std::to_string(n.noise.size()) + " values but [batch, actionHorizon, actionDim] = " + std::to_string(want) +
            " (actionDim is the padded width of the head)");
  FlowDraw d;
  d.noise = torch::from_blob(const_cast<float*>(n.noise.data()), {B, c.action_horizon, c.action_dim}, torch::kFloat32).clone();
  if (need_t) {
    check(static_cast<int64_t>(n.t.size()) == B, ErrorCode::Shape,
          "t has " + std::to_string(n.t.size()) + " values but the batch has " + std::to_string(B) + " rows");
    d.t = torch::from_blob(const_cast<float*>(n.t.data()), {B}, torch::kFloat32).clone();
  }
  return d;
}

torch::Tensor cpu_f32(const torch::Tensor& t) { return t.detach().to(torch::kCPU, torch::kFloat32).contiguous(); }

RunContext eval_context(const BatchTensors& bt) {
  RunContext run;
  run.vl_key_mask = bt.key_mask;
  return run;
}

}  // namespace

VelocityResult predict_velocity(ActionExpert& e, const ActionBatch& b, const NoiseSpec& n) {
  torch::NoGradGuard no_grad;
  auto bt = to_tensors(b, e.config, e.device, e.dtype, /*need_actions=*/true);
  auto d = resolve(e.config, b.batch, n, true);
  auto out = flow_matching_loss(e.net, bt, d.t.to(e.device), d.noise.to(e.device), eval_context(bt));
  return {cpu_f32(out.pred), d.t};
}

LossResult flow_loss(ActionExpert& e, const ActionBatch& b, const NoiseSpec& n, bool with_grads, const std::vector<std::string>& names) {
  auto bt = to_tensors(b, e.config, e.device, e.dtype, /*need_actions=*/true);
  auto d = resolve(e.config, b.batch, n, true);
  LossResult r;
  r.t = d.t;
  if (!with_grads) {
    torch::NoGradGuard no_grad;
    r.loss = flow_matching_loss(e.net, bt, d.t.to(e.device), d.noise.to(e.device), eval_context(bt)).loss.item<double>();
    return r;
  }
  auto params = e.named_parameters();
  for (const auto& want : names) {
    const bool known = std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == want; });
    check(known, ErrorCode::InvalidArgument, "unknown parameter name " + want + " (names are checkpoint keys such as action_head.model.proj_out_2.weight)");
  }
  for (auto& [name, t] : params) t.mutable_grad() = torch::Tensor();
  auto out = flow_matching_loss(e.net, bt, d.t.to(e.device), d.noise.to(e.device), eval_context(bt));
  out.loss.backward();
  r.loss = out.loss.item<double>();
  for (auto& [name, t] : params) {
    if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
    if (!t.requires_grad()) {
      check(names.empty(), ErrorCode::InvalidArgument, "parameter " + name + " is frozen and has no gradient");
      continue;
    }
    r.grads.emplace_back(name, cpu_f32(t.grad().defined() ? t.grad() : torch::zeros_like(t)));
  }
  for (auto& [name, t] : params) t.mutable_grad() = torch::Tensor();
  return r;
}

TrainStepResult train_step(ActionExpert& e, const ActionBatch& b, double lr, uint64_t seed) {
  check(e.optimizer != nullptr, ErrorCode::InvalidArgument,
        "the action head's optimizer is not configured. Fix: call configureActionHeadOptimizer first.");
  check(lr >= 0 && std::isfinite(lr), ErrorCode::InvalidArgument, "learning rate must be a finite number >= 0");
  auto bt = to_tensors(b, e.config, e.device, e.dtype, /*need_actions=*/true);
  auto d = draw_time_and_noise(e.config, b.batch, seed);
  auto gen = compat::seeded_generator(e.device, seed ^ kDropoutStream);
  RunContext run = eval_context(bt);
  run.training = true;
  run.gen = &gen;
  e.optimizer->zero_grad(/*set_to_none=*/true);
  auto out = flow_matching_loss(e.net, bt, d.t.to(e.device), d.noise.to(e.device), run);
  out.loss.backward();
  TrainStepResult r;
  r.loss = out.loss.item<double>();
  const auto step = train::clip_and_step(*e.optimizer, e.trainable, e.optim_config.max_grad_norm, r.loss, lr);
  r.grad_norm = step.grad_norm;
  r.applied = step.applied;
  return r;
}

torch::Tensor sample_actions(ActionExpert& e, const ActionBatch& b, const NoiseSpec& n, int64_t steps) {
  check(steps > 0, ErrorCode::InvalidArgument, "numSteps must be positive, got " + std::to_string(steps));
  auto bt = to_tensors(b, e.config, e.device, e.dtype, /*need_actions=*/false);
  auto d = resolve(e.config, b.batch, n, /*need_t=*/false);
  return cpu_f32(euler_sample(e.net, bt, d.noise.to(e.device), steps));
}

}  // namespace roboalign::gr00t
