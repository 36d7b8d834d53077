// configureOptimizer, sftStep, gradients, saveOptimizerState and loadOptimizerState.
#include "addon/addon_state.h"
#include "addon/convert.h"
#include "addon/job.h"
#include "addon/ops.h"
#include "train/optimizer.h"
#include "train/optimizer_state.h"
#include "train/sft_step.h"

namespace roboalign::addon {

namespace {

std::vector<TokenBatch> micro_batches(const Napi::Value& v) {
  if (!v.IsArray()) fail(ErrorCode::InvalidArgument, "Expected an array of micro-batches for microBatches");
  auto a = v.As<Napi::Array>();
  std::vector<TokenBatch> out;
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value b = a.Get(i);
    if (!b.IsObject()) fail(ErrorCode::InvalidArgument, "Expected an object for microBatches[" + std::to_string(i) + "]");
    out.push_back(token_batch(b.As<Napi::Object>(), /*with_labels=*/true));
  }
  return out;
}

Napi::Value configure_optimizer_op(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "configureOptimizer", [&]() -> Napi::Value {
    const int64_t h = handle_arg(info, 0);
    auto& slot = AddonState::of(env).slot(h);
    auto o = object_arg(info, 1, "options");
    OptimizerConfig c;
    c.lr = number(o, "lr");
    auto betas = o.Get("betas");
    if (!betas.IsUndefined()) {
      if (!betas.IsArray() || betas.As<Napi::Array>().Length() != 2) fail(ErrorCode::InvalidArgument, "Expected [beta1, beta2] for betas");
      c.beta1 = betas.As<Napi::Array>().Get(0u).As<Napi::Number>().DoubleValue();
      c.beta2 = betas.As<Napi::Array>().Get(1u).As<Napi::Number>().DoubleValue();
    }
    c.eps = number_or(o, "eps", 1e-8);
    c.weight_decay = number_or(o, "weightDecay", 0.0);
    c.max_grad_norm = number_or(o, "maxGradNorm", 1.0);
    auto freeze = o.Get("freeze");
    if (!freeze.IsUndefined()) c.freeze = string_list(freeze, "freeze");
    auto m = slot.model;
    return Job<std::pair<train::OptimizerSummary, ModelSummary>>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "configureOptimizer",
        [m, c] {
          auto s = train::configure_optimizer(*m, c);
          return std::make_pair(s, summarize(*m));
        },
        [h](Napi::Env env, std::pair<train::OptimizerSummary, ModelSummary>& r) -> Napi::Value {
          auto& models = AddonState::of(env).models;
          if (auto it = models.find(h); it != models.end()) it->second.summary = r.second;
          auto o = Napi::Object::New(env);
          o.Set("trainable", Napi::Number::New(env, static_cast<double>(r.first.trainable)));
          o.Set("frozen", Napi::Number::New(env, static_cast<double>(r.first.frozen)));
          return o;
        });
  });
}

Napi::Value sft_step_op(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "sftStep", [&]() -> Napi::Value {
    auto& slot = AddonState::of(env).slot(handle_arg(info, 0));
    auto o = object_arg(info, 1, "options");
    auto batches = micro_batches(o.Get("microBatches"));
    const double lr = number(o, "lr");
    auto m = slot.model;
    return Job<train::SftStepResult>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "sftStep",
        [m, batches, lr] { return train::sft_step(*m, batches, lr); },
        [](Napi::Env env, train::SftStepResult& r) -> Napi::Value {
          auto o = Napi::Object::New(env);
          o.Set("loss", r.loss);
          o.Set("gradNorm", r.grad_norm);
          o.Set("tokens", Napi::Number::New(env, static_cast<double>(r.tokens)));
          o.Set("applied", Napi::Boolean::New(env, r.applied));
          return o;
        });
  });
}

Napi::Value gradients_op(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "gradients", [&]() -> Napi::Value {
    auto& slot = AddonState::of(env).slot(handle_arg(info, 0));
    if (info.Length() < 2) fail(ErrorCode::InvalidArgument, "Expected (model, microBatches, names?) for gradients");
    auto batches = micro_batches(info[1]);
    std::vector<std::string> names;
    if (info.Length() > 2 && !info[2].IsUndefined()) names = string_list(info[2], "names");
    auto m = slot.model;
    return Job<train::GradientsResult>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "gradients",
        [m, batches, names] { return train::gradients(*m, batches, names); },
        [](Napi::Env env, train::GradientsResult& r) -> Napi::Value {
          auto o = Napi::Object::New(env);
          o.Set("loss", r.loss);
          o.Set("tokens", Napi::Number::New(env, static_cast<double>(r.tokens)));
          auto grads = Napi::Object::New(env);
          for (auto& [name, g] : r.grads) grads.Set(name, float32_array(env, g));
          o.Set("grads", grads);
          return o;
        });
  });
}

// save (true) or load (false) of the optimizer state at a path.
Napi::Value optimizer_state_op(const Napi::CallbackInfo& info, bool save) {
  auto env = info.Env();
  const char* op = save ? "saveOptimizerState" : "loadOptimizerState";
  return guarded(env, op, [&]() -> Napi::Value {
    auto& slot = AddonState::of(env).slot(handle_arg(info, 0));
    if (info.Length() < 2 || !info[1].IsString()) fail(ErrorCode::InvalidArgument, std::string("Expected a file path string for path"));
    const std::string path = info[1].As<Napi::String>().Utf8Value();
    auto m = slot.model;
    return Job<train::OptimizerStateInfo>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), op,
        [m, path, save] { return save ? train::save_optimizer_state(*m, path) : train::load_optimizer_state(*m, path); },
        [](Napi::Env env, train::OptimizerStateInfo& r) -> Napi::Value { return optimizer_state_js(env, r.parameters, r.step); });
  });
}

}  // namespace

void register_train_ops(Napi::Env env, Napi::Object exports) {
  exports.Set("configureOptimizer", Napi::Function::New(env, configure_optimizer_op, "configureOptimizer"));
  exports.Set("sftStep", Napi::Function::New(env, sft_step_op, "sftStep"));
  exports.Set("gradients", Napi::Function::New(env, gradients_op, "gradients"));
  exports.Set("saveOptimizerState",
              Napi::Function::New(env, [](const Napi::CallbackInfo& info) { return optimizer_state_op(info, true); }, "saveOptimizerState"));
  exports.Set("loadOptimizerState",
              Napi::Function::New(env, [](const Napi::CallbackInfo& info) { return optimizer_state_op(info, false); }, "loadOptimizerState"));
}

}  // namespace roboalign::addon
