// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/flow_matching_action_head.py (sample_time, forward, get_action)
#include "model/gr00t/flow_matching.h"

#include "compat/torch_compat.h"

namespace roboalign::gr00t {

FlowDraw draw_time_and_noise(const ActionHeadConfig& c, int64_t batch, uint64_t seed) {
  auto gen = compat::seeded_generator(torch::Device(torch::kCPU), seed);
  auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  // Beta(α, β) = X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β), as torch.distributions.Beta samples it.
  auto x = at::_standard_gamma(torch::full({batch}, c.noise_beta_alpha, f64), gen);
  auto y = at::_standard_gamma(torch::full({batch}, c.noise_beta_beta, f64), gen);
  auto u = x / (x + y);
  FlowDraw d;
  d.t = ((c.noise_s - u) / c.noise_s).to(torch::kFloat32);
  d.noise = at::normal(0.0, 1.0, {batch, c.action_horizon, c.action_dim}, gen, torch::kFloat32);
  return d;
}

torch::Tensor discretize_time(const torch::Tensor& t, int64_t buckets) { return (t * static_cast<double>(buckets)).to(torch::kLong); }

FlowLoss flow_matching_loss(ActionExpertNet& net, const BatchTensors& b, const torch::Tensor& t, const torch::Tensor& noise,
                            const RunContext& run) {
  auto& head = net->action_head;
  auto context = net->context(b.features, run);
  auto state_feat = head->encode_state(b.state, b.cat_ids);
  auto tt = t.to(b.actions.scalar_type()).view({-1, 1, 1});
  auto n = noise.to(b.actions.scalar_type());
  auto x_t = (1 - tt) * n + tt * b.actions;
  auto target = b.actions - n;
  // Discretised from the float32 t, so low-precision weights see the same buckets.
  auto t_disc = discretize_time(t.to(torch::kFloat32).view({-1}), net->config.num_timestep_buckets);
  FlowLoss out;
  out.pred = head->velocity(context, state_feat, x_t, t_disc, b.cat_ids, run);
  // In fp32 whatever the weights' dtype, as autocast keeps mse_loss in fp32.
  auto err = (out.pred.to(torch::kFloat32) - target.to(torch::kFloat32)).pow(2) * b.action_mask;
  out.loss = err.sum() / b.action_mask.sum();
  return out;
}

torch::Tensor euler_sample(ActionExpertNet& net, const BatchTensors& b, const torch::Tensor& x0, int64_t steps) {
  torch::NoGradGuard no_grad;
  RunContext run;
  run.vl_key_mask = b.key_mask;
  auto& head = net->action_head;
  auto context = net->context(b.features, run);
  auto state_feat = head->encode_state(b.state, b.cat_ids);
  auto kv = head->model->context_kv(context);
  const int64_t B = x0.size(0);
  const double dt = 1.0 / static_cast<double>(steps);
  auto x = x0.to(b.features.scalar_type());
  for (int64_t k = 0; k < steps; ++k) {
    // int(k / N · buckets) in double precision, as the reference computes it in Python floats.
    const auto t_disc_value = static_cast<int64_t>(static_cast<double>(k) / static_cast<double>(steps) *
                                                   static_cast<double>(net->config.num_timestep_buckets));
    auto t_disc = torch::full({B}, t_disc_value, torch::TensorOptions().dtype(torch::kLong).device(x.device()));
    auto v = head->velocity(context, state_feat, x, t_disc, b.cat_ids, run, &kv);
    x = x + dt * v;
  }
  return x;
}

}  // namespace roboalign::gr00t
