// The GR00T flow-matching action expert: initActionHead, loadActionHead, saveActionHead,
// actionHeadInfo, actionHeadPreset, disposeActionHead, configureActionHeadOptimizer,
// actionHeadForward, actionHeadLoss, actionHeadGradients, actionHeadTrainStep, actionHeadSample.
// Action heads live in their own handle table (handle numbers are shared with models, so a
// number never names two objects); jobs run on the executor of the head's device.
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "addon/addon_state.h"
#include "addon/convert.h"
#include "addon/job.h"
#include "addon/ops.h"
#include "model/gr00t/expert.h"
#include "model/gr00t/expert_steps.h"
#include "train/optimizer_state.h"

namespace roboalign::addon {

namespace {

using ExpertPtr = std::shared_ptr<gr00t::ActionExpert>;

struct ActionSlot {
  ExpertPtr expert;
  std::string executor_key;
  gr00t::ActionExpertSummary summary;  // refreshed by jobs that change it, so info never races a job
};

struct ActionHeads {
  std::map<int64_t, ActionSlot> slots;
  std::set<int64_t> disposed;

  ActionSlot& slot(int64_t h) {
    auto it = slots.find(h);
    if (it != slots.end()) return it->second;
    if (disposed.count(h)) {
      fail(ErrorCode::Disposed, "action head " + std::to_string(h) + " is disposed. Fix: load it again; a disposed head cannot be used.");
    }
    fail(ErrorCode::InvalidArgument, "unknown action head handle " + std::to_string(h));
  }
};
using HeadsPtr = std::shared_ptr<ActionHeads>;

// The table reaches every callback through the function's data pointer (a heap shared_ptr
// freed at environment cleanup); jobs hold their own reference.
HeadsPtr heads_of(const Napi::CallbackInfo& info) { return *static_cast<HeadsPtr*>(info.Data()); }

bool present(const Napi::Value& v) { return !v.IsUndefined() && !v.IsNull(); }

gr00t::ActionHeadConfig head_config(const Napi::Object& o) {
  gr00t::ActionHeadConfig c;
  c.action_dim = integer(o, "actionDim");
  c.action_horizon = integer(o, "actionHorizon");
  c.max_state_dim = integer(o, "maxStateDim");
  c.input_embedding_dim = integer(o, "inputEmbeddingDim");
  c.hidden_size = integer(o, "hiddenSize");
  c.backbone_embedding_dim = integer(o, "backboneEmbeddingDim");
  c.backbone_feature_dim = integer(o, "backboneFeatureDim");
  c.dit_num_layers = integer(o, "ditNumLayers");
  c.dit_num_heads = integer(o, "ditNumHeads");
  c.dit_head_dim = integer(o, "ditHeadDim");
  c.vl_num_layers = integer(o, "vlNumLayers");
  c.vl_num_heads = integer(o, "vlNumHeads");
  c.vl_head_dim = integer(o, "vlHeadDim");
  c.dropout = number(o, "dropout");
  c.num_target_vision_tokens = integer(o, "numTargetVisionTokens");
  c.max_seq_len = integer(o, "maxSeqLen");
  c.max_num_embodiments = integer(o, "maxNumEmbodiments");
  c.noise_beta_alpha = number(o, "noiseBetaAlpha");
  c.noise_beta_beta = number(o, "noiseBetaBeta");
  c.noise_s = number(o, "noiseS");
  c.num_timestep_buckets = integer(o, "numTimestepBuckets");
  c.num_inference_timesteps = integer(o, "numInferenceTimesteps");
  c.use_vl_mask = boolean_or(o, "useVlMask", false);
  c.validate();
  return c;
}

Napi::Object config_js(Napi::Env env, const gr00t::ActionHeadConfig& c) {
  auto o = Napi::Object::New(env);
  auto n = [&](const char* k, double v) { o.Set(k, Napi::Number::New(env, v)); };
  n("actionDim", c.action_dim);
  n("actionHorizon", c.action_horizon);
  n("maxStateDim", c.max_state_dim);
  n("inputEmbeddingDim", c.input_embedding_dim);
  n("hiddenSize", c.hidden_size);
  n("backboneEmbeddingDim", c.backbone_embedding_dim);
  n("backboneFeatureDim", c.backbone_feature_dim);
  n("ditNumLayers", c.dit_num_layers);
  n("ditNumHeads", c.dit_num_heads);
  n("ditHeadDim", c.dit_head_dim);
  n("vlNumLayers", c.vl_num_layers);
  n("vlNumHeads", c.vl_num_heads);
  n("vlHeadDim", c.vl_head_dim);
  n("dropout", c.dropout);
  n("numTargetVisionTokens", c.num_target_vision_tokens);
  n("maxSeqLen", c.max_seq_len);
  n("maxNumEmbodiments", c.max_num_embodiments);
  n("noiseBetaAlpha", c.noise_beta_alpha);
  n("noiseBetaBeta", c.noise_beta_beta);
  n("noiseS", c.noise_s);
  n("numTimestepBuckets", c.num_timestep_buckets);
  n("numInferenceTimesteps", c.num_inference_timesteps);
  o.Set("useVlMask", Napi::Boolean::New(env, c.use_vl_mask));
  return o;
}

gr00t::ActionBatch action_batch(const Napi::Value& v) {
  if (!v.IsObject()) fail(ErrorCode::InvalidArgument, "Expected an action-head batch object for batch");
  auto o = v.As<Napi::Object>();
  gr00t::ActionBatch b;
  b.batch = integer(o, "batch");
  b.vl_len = integer(o, "vlLen");
  b.features = float32_vector(o.Get("features"), "features");
  if (present(o.Get("attentionMask"))) b.vl_mask = uint8_array(o.Get("attentionMask"), "attentionMask");
  b.state = float32_vector(o.Get("state"), "state");
  if (present(o.Get("actions"))) b.actions = float32_vector(o.Get("actions"), "actions");
  if (present(o.Get("actionMask"))) b.action_mask = uint8_array(o.Get("actionMask"), "actionMask");
  auto e = o.Get("embodimentId");
  if (e.IsNumber()) {
    b.embodiment = {static_cast<int32_t>(integer(o, "embodimentId"))};
  } else {
    b.embodiment = int32_array(e, "embodimentId");
  }
  return b;
}

gr00t::NoiseSpec noise_spec(const Napi::Object& o) {
  gr00t::NoiseSpec n;
  if (present(o.Get("t"))) n.t = float32_vector(o.Get("t"), "t");
  if (present(o.Get("noise"))) n.noise = float32_vector(o.Get("noise"), "noise");
  if (present(o.Get("seed"))) n.seed = static_cast<uint64_t>(integer(o, "seed"));
  return n;
}

Napi::Object summary_js(Napi::Env env, const gr00t::ActionHeadConfig& c, const gr00t::ActionExpertSummary& s) {
  auto o = Napi::Object::New(env);
  o.Set("config", config_js(env, c));
  o.Set("numParameters", Napi::Number::New(env, static_cast<double>(s.num_parameters)));
  o.Set("numTrainable", Napi::Number::New(env, static_cast<double>(s.num_trainable)));
  o.Set("dtype", s.dtype);
  o.Set("device", s.device);
  return o;
}

Napi::Object args_object(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || info[index].IsUndefined()) return Napi::Object::New(info.Env());
  return object_arg(info, index, name);
}

// Registers a new head on the main thread and resolves with its handle.
Napi::Value register_head(Napi::Env env, const HeadsPtr& heads, ExpertPtr& e, const std::string& key) {
  const int64_t h = AddonState::of(env).next_handle++;
  heads->slots[h] = ActionSlot{e, key, gr00t::summarize(*e)};
  return Napi::Number::New(env, static_cast<double>(h));
}

Napi::Value init_head(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "initActionHead", [&]() -> Napi::Value {
    auto o = object_arg(info, 0, "options");
    auto config = head_config(object_field(o, "config"));
    auto device = string_or(o, "device", "cpu");
    auto dtype = string_or(o, "dtype", "float32");
    auto seed = static_cast<uint64_t>(integer(o, "seed"));
    auto key = executor_key(device);
    auto heads = heads_of(info);
    return Job<ExpertPtr>::submit(
        env, AddonState::of(env).executors.for_device(key), "initActionHead",
        [=] { return gr00t::init_action_expert(config, device, dtype, seed); },
        [heads, key](Napi::Env env, ExpertPtr& e) { return register_head(env, heads, e, key); });
  });
}

Napi::Value load_head(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "loadActionHead", [&]() -> Napi::Value {
    auto o = object_arg(info, 0, "options");
    auto config = head_config(object_field(o, "config"));
    auto weights = weight_entries(o.Get("weights"));
    auto device = string_or(o, "device", "cpu");
    auto dtype = string_or(o, "dtype", "float32");
    auto key = executor_key(device);
    auto heads = heads_of(info);
    return Job<ExpertPtr>::submit(
        env, AddonState::of(env).executors.for_device(key), "loadActionHead",
        [=] { return gr00t::load_action_expert(config, weights, device, dtype); },
        [heads, key](Napi::Env env, ExpertPtr& e) { return register_head(env, heads, e, key); });
  });
}

Napi::Value head_info(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  try {
    auto& slot = heads_of(info)->slot(handle_arg(info, 0));
    return summary_js(env, slot.expert->config, slot.summary);
  } catch (...) {
    auto e = describe_exception(std::current_exception());
    throw make_error(env, "actionHeadInfo", e.code, e.message);
  }
}

Napi::Value head_preset(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  try {
    if (info.Length() < 1 || !info[0].IsString()) fail(ErrorCode::InvalidArgument, "Expected a preset name string for name");
    return config_js(env, gr00t::preset_config(info[0].As<Napi::String>().Utf8Value()));
  } catch (...) {
    auto e = describe_exception(std::current_exception());
    throw make_error(env, "actionHeadPreset", e.code, e.message);
  }
}

struct SaveOut {
  safetensors::SaveResult result;
};

Napi::Value save_head(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "saveActionHead", [&]() -> Napi::Value {
    auto& slot = heads_of(info)->slot(handle_arg(info, 0));
    auto o = object_arg(info, 1, "options");
    auto dir = string(o, "dir");
    auto dtype = string_or(o, "dtype", "float32");
    auto e = slot.expert;
    return Job<SaveOut>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "saveActionHead",
        [=] { return SaveOut{gr00t::save_action_expert(*e, dir, dtype)}; },
        [](Napi::Env env, SaveOut& out) -> Napi::Value { return save_result_js(env, out.result); });
  });
}

struct Nothing {};

// Removes the handle at once and releases the head on its executor after the jobs queued before.
Napi::Value dispose_head(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "disposeActionHead", [&]() -> Napi::Value {
    const int64_t h = handle_arg(info, 0);
    auto heads = heads_of(info);
    auto& slot = heads->slot(h);
    auto e = std::make_shared<ExpertPtr>(slot.expert);
    auto key = slot.executor_key;
    heads->slots.erase(h);
    heads->disposed.insert(h);
    return Job<Nothing>::submit(
        env, AddonState::of(env).executors.for_device(key), "disposeActionHead",
        [e] {
          e->reset();
          return Nothing{};
        },
        [](Napi::Env env, Nothing&) { return env.Undefined(); });
  });
}

OptimizerConfig optimizer_config(const Napi::Object& o) {
  OptimizerConfig c;
  c.lr = number(o, "lr");
  auto betas = o.Get("betas");
  if (present(betas)) {
    if (!betas.IsArray() || betas.As<Napi::Array>().Length() != 2) fail(ErrorCode::InvalidArgument, "Expected [beta1, beta2] for betas");
    auto a = betas.As<Napi::Array>();
    if (!a.Get(0u).IsNumber() || !a.Get(1u).IsNumber()) fail(ErrorCode::InvalidArgument, "Expected [beta1, beta2] numbers for betas");
    c.beta1 = a.Get(0u).As<Napi::Number>().DoubleValue();
    c.beta2 = a.Get(1u).As<Napi::Number>().DoubleValue();
  }
  c.eps = number_or(o, "eps", 1e-8);
  c.weight_decay = number_or(o, "weightDecay", 0.0);
  c.max_grad_norm = number_or(o, "maxGradNorm", 1.0);
  if (present(o.Get("freeze"))) c.freeze = string_list(o.Get("freeze"), "freeze");
  return c;
}

Napi::Value configure_optimizer(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "configureActionHeadOptimizer", [&]() -> Napi::Value {
    const int64_t h = handle_arg(info, 0);
    auto heads = heads_of(info);
    auto& slot = heads->slot(h);
    auto c = optimizer_config(object_arg(info, 1, "options"));
    auto e = slot.expert;
    using Out = std::pair<std::pair<int64_t, int64_t>, gr00t::ActionExpertSummary>;
    return Job<Out>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "configureActionHeadOptimizer",
        [e, c] {
          auto counts = gr00t::configure_optimizer(*e, c);
          return Out{counts, gr00t::summarize(*e)};
        },
        [heads, h](Napi::Env env, Out& r) -> Napi::Value {
          if (auto it = heads->slots.find(h); it != heads->slots.end()) it->second.summary = r.second;
          auto o = Napi::Object::New(env);
          o.Set("trainable", Napi::Number::New(env, static_cast<double>(r.first.first)));
          o.Set("frozen", Napi::Number::New(env, static_cast<double>(r.first.second)));
          return o;
        });
  });
}

// save (true) or load (false) of the head's AdamW state at a path (exact resume of `vla train`).
Napi::Value optimizer_state_op(const Napi::CallbackInfo& info, bool save) {
  auto env = info.Env();
  const char* op = save ? "saveActionHeadOptimizerState" : "loadActionHeadOptimizerState";
  return guarded(env, op, [&]() -> Napi::Value {
    auto& slot = heads_of(info)->slot(handle_arg(info, 0));
    if (info.Length() < 2 || !info[1].IsString()) fail(ErrorCode::InvalidArgument, std::string("Expected a file path string for path"));
    const std::string path = info[1].As<Napi::String>().Utf8Value();
    auto e = slot.expert;
    return Job<train::OptimizerStateInfo>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), op,
        [e, path, save] {
          return save ? train::save_adamw_state(e->optimizer.get(), e->trainable, e->trainable_names, path)
                      : train::load_adamw_state(e->optimizer.get(), e->trainable, e->trainable_names, path);
        },
        [](Napi::Env env, train::OptimizerStateInfo& r) -> Napi::Value { return optimizer_state_js(env, r.parameters, r.step); });
  });
}

// Common shape of the batch jobs: (head, batch, options) parsed on the main thread.
template <typename R, typename Work, typename ToJs>
Napi::Value batch_job(const Napi::CallbackInfo& info, const char* op, Work work, ToJs to_js) {
  auto env = info.Env();
  return guarded(env, op, [&]() -> Napi::Value {
    auto& slot = heads_of(info)->slot(handle_arg(info, 0));
    if (info.Length() < 2) fail(ErrorCode::InvalidArgument, std::string("Expected (head, batch, options) for ") + op);
    auto batch = action_batch(info[1]);
    auto o = args_object(info, 2, "options");
    auto e = slot.expert;
    auto run = work(o);  // parses the options now; returns the job body
    return Job<R>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), op, [e, batch, run] { return run(*e, batch); }, to_js);
  });
}

Napi::Value forward_op(const Napi::CallbackInfo& info) {
  return batch_job<gr00t::VelocityResult>(
      info, "actionHeadForward",
      [](const Napi::Object& o) {
        auto n = noise_spec(o);
        if (n.t.empty() || n.noise.empty()) fail(ErrorCode::InvalidArgument, "actionHeadForward needs both t and noise");
        return std::function<gr00t::VelocityResult(gr00t::ActionExpert&, const gr00t::ActionBatch&)>(
            [n](gr00t::ActionExpert& e, const gr00t::ActionBatch& b) { return gr00t::predict_velocity(e, b, n); });
      },
      [](Napi::Env env, gr00t::VelocityResult& r) -> Napi::Value {
        auto o = Napi::Object::New(env);
        o.Set("velocity", float32_array(env, r.velocity));
        o.Set("shape", shape_array(env, r.velocity.sizes()));
        return o;
      });
}

Napi::Value loss_op(const Napi::CallbackInfo& info, bool with_grads) {
  const char* op = with_grads ? "actionHeadGradients" : "actionHeadLoss";
  return batch_job<gr00t::LossResult>(
      info, op,
      [with_grads](const Napi::Object& o) {
        auto n = noise_spec(o);
        std::vector<std::string> names;
        if (with_grads && present(o.Get("names"))) names = string_list(o.Get("names"), "names");
        return std::function<gr00t::LossResult(gr00t::ActionExpert&, const gr00t::ActionBatch&)>(
            [n, names, with_grads](gr00t::ActionExpert& e, const gr00t::ActionBatch& b) { return gr00t::flow_loss(e, b, n, with_grads, names); });
      },
      [with_grads](Napi::Env env, gr00t::LossResult& r) -> Napi::Value {
        auto o = Napi::Object::New(env);
        o.Set("loss", r.loss);
        o.Set("t", float32_array(env, r.t));
        if (with_grads) {
          auto grads = Napi::Object::New(env);
          for (auto& [name, g] : r.grads) grads.Set(name, float32_array(env, g));
          o.Set("grads", grads);
        }
        return o;
      });
}

Napi::Value train_step_op(const Napi::CallbackInfo& info) {
  return batch_job<gr00t::TrainStepResult>(
      info, "actionHeadTrainStep",
      [](const Napi::Object& o) {
        const double lr = number(o, "lr");
        const auto seed = static_cast<uint64_t>(integer(o, "seed"));
        return std::function<gr00t::TrainStepResult(gr00t::ActionExpert&, const gr00t::ActionBatch&)>(
            [lr, seed](gr00t::ActionExpert& e, const gr00t::ActionBatch& b) { return gr00t::train_step(e, b, lr, seed); });
      },
      [](Napi::Env env, gr00t::TrainStepResult& r) -> Napi::Value {
        auto o = Napi::Object::New(env);
        o.Set("loss", r.loss);
        o.Set("gradNorm", r.grad_norm);
        o.Set("applied", Napi::Boolean::New(env, r.applied));
        return o;
      });
}

Napi::Value sample_op(const Napi::CallbackInfo& info) {
  return batch_job<torch::Tensor>(
      info, "actionHeadSample",
      [](const Napi::Object& o) {
        auto n = noise_spec(o);
        if (n.noise.empty() && !n.seed) fail(ErrorCode::InvalidArgument, "actionHeadSample needs a seed (or the initial noise)");
        const int64_t steps = present(o.Get("numSteps")) ? integer(o, "numSteps") : 0;  // 0 = the config's default
        return std::function<torch::Tensor(gr00t::ActionExpert&, const gr00t::ActionBatch&)>(
            [n, steps](gr00t::ActionExpert& e, const gr00t::ActionBatch& b) {
              return gr00t::sample_actions(e, b, n, steps > 0 ? steps : e.config.num_inference_timesteps);
            });
      },
      [](Napi::Env env, torch::Tensor& actions) -> Napi::Value {
        auto o = Napi::Object::New(env);
        o.Set("actions", float32_array(env, actions));
        o.Set("shape", shape_array(env, actions.sizes()));
        return o;
      });
}

}  // namespace

void register_action_ops(Napi::Env env, Napi::Object exports) {
  auto* data = new HeadsPtr(std::make_shared<ActionHeads>());
  env.AddCleanupHook([data] { delete data; });
  auto add = [&](const char* name, Napi::Function::Callback fn) { exports.Set(name, Napi::Function::New(env, fn, name, data)); };
  add("initActionHead", init_head);
  add("loadActionHead", load_head);
  add("actionHeadInfo", head_info);
  add("actionHeadPreset", head_preset);
  add("saveActionHead", save_head);
  add("disposeActionHead", dispose_head);
  add("configureActionHeadOptimizer", configure_optimizer);
  add("actionHeadForward", forward_op);
  add("actionHeadLoss", [](const Napi::CallbackInfo& info) { return loss_op(info, false); });
  add("actionHeadGradients", [](const Napi::CallbackInfo& info) { return loss_op(info, true); });
  add("actionHeadTrainStep", train_step_op);
  add("saveActionHeadOptimizerState", [](const Napi::CallbackInfo& info) { return optimizer_state_op(info, true); });
  add("loadActionHeadOptimizerState", [](const Napi::CallbackInfo& info) { return optimizer_state_op(info, false); });
  add("actionHeadSample", sample_op);
}

}  // namespace roboalign::addon
