// ref: Isaac-GR00T@4af2b62 (CategorySpecificLinear / future_tokens / position_embedding
// initialisation, gr00t/experiment/trainer.py create_optimizer) and torch.nn.Linear's default
// initialisation for every nn.Linear.
#include "model/gr00t/expert.h"

#include <cmath>
#include <set>

#include "compat/torch_compat.h"
#include "runtime/errors.h"
#include "train/optimizer.h"

namespace roboalign::gr00t {

std::vector<std::pair<std::string, torch::Tensor>> ActionExpert::named_parameters() const {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& item : net->named_parameters(/*recurse=*/true)) out.emplace_back(item.key(), item.value());
  return out;
}

ActionExpertSummary summarize(const ActionExpert& e) {
  ActionExpertSummary s;
  for (const auto& [name, t] : e.named_parameters()) {
    s.num_parameters += t.numel();
    if (t.requires_grad()) s.num_trainable += t.numel();
  }
  s.dtype = dtype_label(e.dtype);
  s.device = e.device.str();
  return s;
}

namespace {

std::shared_ptr<ActionExpert> construct(const ActionHeadConfig& c, const std::string& device, const std::string& dtype) {
  c.validate();
  auto e = std::make_shared<ActionExpert>();
  e->config = c;
  e->device = parse_device(device);
  e->dtype = parse_dtype(dtype);
  e->net = ActionExpertNet(c);
  return e;
}

void finish(ActionExpert& e) {
  e.net->to(e.device, e.dtype);
  e.net->eval();  // dropout is driven by each pass's RunContext, not by the module mode
}

// Parameters initialised per module kind, in named_modules order so a seed gives one result.
void initialise(ActionExpert& e, uint64_t seed) {
  auto gen = compat::seeded_generator(torch::Device(torch::kCPU), seed);
  auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
  torch::NoGradGuard no_grad;
  for (const auto& item : e.net->named_modules()) {
    auto& m = item.value();
    if (auto* lin = m->as<torch::nn::LinearImpl>()) {
      // kaiming_uniform(a=√5) on the weight and U(±1/√fan_in) on the bias both reduce to U(±1/√fan_in).
      const double bound = 1.0 / std::sqrt(static_cast<double>(lin->weight.size(1)));
      lin->weight.copy_(at::empty(lin->weight.sizes(), f32).uniform_(-bound, bound, gen));
      if (lin->bias.defined()) lin->bias.copy_(at::empty(lin->bias.sizes(), f32).uniform_(-bound, bound, gen));
    } else if (auto* ln = m->as<torch::nn::LayerNormImpl>()) {
      if (ln->weight.defined()) ln->weight.fill_(1.0);
      if (ln->bias.defined()) ln->bias.zero_();
    } else if (auto* cat = m->as<CategorySpecificLinearImpl>()) {
      cat->W.copy_(0.02 * at::normal(0.0, 1.0, cat->W.sizes(), gen, f32));
      cat->b.zero_();
    } else if (auto* emb = m->as<torch::nn::EmbeddingImpl>()) {
      emb->weight.copy_(at::normal(0.0, 0.02, emb->weight.sizes(), gen, f32));  // future tokens, positions
    }
  }
}

}  // namespace

std::shared_ptr<ActionExpert> init_action_expert(const ActionHeadConfig& c, const std::string& device, const std::string& dtype,
                                                 uint64_t seed) {
  auto e = construct(c, device, dtype);
  initialise(*e, seed);
  finish(*e);
  return e;
}

std::shared_ptr<ActionExpert> load_action_expert(const ActionHeadConfig& c, const std::vector<safetensors::WeightEntry>& weights,
                                                 const std::string& device, const std::string& dtype) {
  auto e = construct(c, device, dtype);
  std::map<std::string, torch::Tensor> params;
  for (auto& [name, t] : e->named_parameters()) params[name] = t;
  safetensors::load_weights(weights, params, {});
  finish(*e);
  return e;
}

safetensors::SaveResult save_action_expert(const ActionExpert& e, const std::string& dir, const std::string& dtype) {
  return safetensors::save_weights(e.named_parameters(), dir, parse_dtype(dtype), /*max_shard_bytes=*/0);
}

std::pair<int64_t, int64_t> configure_optimizer(ActionExpert& e, const OptimizerConfig& config) {
  check(config.lr >= 0 && config.eps > 0 && config.weight_decay >= 0 && config.max_grad_norm >= 0, ErrorCode::InvalidArgument,
        "optimizer options must be non-negative (lr, weightDecay, maxGradNorm) and eps positive");
  check(config.beta1 >= 0 && config.beta1 < 1 && config.beta2 >= 0 && config.beta2 < 1, ErrorCode::InvalidArgument,
        "AdamW betas must lie in [0, 1)");
  std::set<std::string> layer_norm_weights;
  for (const auto& item : e.net->named_modules()) {
    if (item.value()->as<torch::nn::LayerNormImpl>()) layer_norm_weights.insert(item.key() + ".weight");
  }
  std::vector<torch::Tensor> decay, no_decay;
  int64_t trainable = 0, frozen = 0;
  e.trainable.clear();
  e.trainable_names.clear();
  for (auto& [name, t] : e.named_parameters()) {
    bool freeze = false;
    for (const auto& pattern : config.freeze) freeze = freeze || train::glob_match(pattern, name);
    t.set_requires_grad(!freeze);
    if (freeze) {
      frozen += t.numel();
      continue;
    }
    trainable += t.numel();
    e.trainable.push_back(t);
    e.trainable_names.push_back(name);
    const bool no_wd = name.find("bias") != std::string::npos || layer_norm_weights.count(name);
    (no_wd ? no_decay : decay).push_back(t);
  }
  check(!e.trainable.empty(), ErrorCode::InvalidArgument, "every parameter is frozen: nothing to train (check the freeze patterns)");
  e.optimizer = train::make_adamw(decay, no_decay, config);
  e.optim_config = config;
  return {trainable, frozen};
}

}  // namespace roboalign::gr00t
