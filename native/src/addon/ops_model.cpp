// Model lifecycle: loadModel, initModel, modelInfo, resizeTokenEmbeddings, save, dispose.
#include "addon/addon_state.h"
#include "addon/convert.h"
#include "addon/job.h"
#include "addon/ops.h"
#include "engine/lifecycle.h"

namespace roboalign::addon {

namespace {

using ModelPtr = std::shared_ptr<TextModel>;

Napi::Object summary_js(Napi::Env env, const ModelSummary& s) {
  auto o = Napi::Object::New(env);
  o.Set("numParameters", Napi::Number::New(env, static_cast<double>(s.num_parameters)));
  o.Set("numTrainable", Napi::Number::New(env, static_cast<double>(s.num_trainable)));
  o.Set("vocabSize", Napi::Number::New(env, static_cast<double>(s.vocab_size)));
  o.Set("dtype", s.dtype);
  o.Set("device", s.device);
  o.Set("tiedEmbeddings", Napi::Boolean::New(env, s.tied));
  return o;
}

// Registers the new model on the main thread and resolves with its handle.
Napi::Value register_model(Napi::Env env, ModelPtr& m, const std::string& key) {
  return Napi::Number::New(env, static_cast<double>(AddonState::of(env).add(m, key)));
}

Napi::Value load_model(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "loadModel", [&]() -> Napi::Value {
    auto o = object_arg(info, 0, "options");
    auto config = text_config(object_field(o, "config"));
    auto vision = vision_spec(o);
    auto weights = weight_entries(o.Get("weights"));
    auto device = string_or(o, "device", "cpu");
    auto dtype = string_or(o, "dtype", "float32");
    auto key = executor_key(device);
    return Job<ModelPtr>::submit(
        env, AddonState::of(env).executors.for_device(key), "loadModel",
        [=] { return load_text_model(config, vision, weights, device, dtype); },
        [key](Napi::Env env, ModelPtr& m) { return register_model(env, m, key); });
  });
}

Napi::Value init_model(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "initModel", [&]() -> Napi::Value {
    auto o = object_arg(info, 0, "options");
    auto config = text_config(object_field(o, "config"));
    auto vision = vision_spec(o);
    auto device = string_or(o, "device", "cpu");
    auto dtype = string_or(o, "dtype", "float32");
    auto seed = static_cast<uint64_t>(integer(o, "seed"));
    auto key = executor_key(device);
    return Job<ModelPtr>::submit(
        env, AddonState::of(env).executors.for_device(key), "initModel",
        [=] { return init_text_model(config, vision, device, dtype, seed); },
        [key](Napi::Env env, ModelPtr& m) { return register_model(env, m, key); });
  });
}

Napi::Value model_info(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  try {
    return summary_js(env, AddonState::of(env).slot(handle_arg(info, 0)).summary);
  } catch (...) {
    auto e = describe_exception(std::current_exception());
    throw make_error(env, "modelInfo", e.code, e.message);
  }
}

Napi::Value resize_token_embeddings(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "resizeTokenEmbeddings", [&]() -> Napi::Value {
    const int64_t h = handle_arg(info, 0);
    auto& slot = AddonState::of(env).slot(h);
    if (info.Length() < 3 || !info[1].IsNumber() || !info[2].IsNumber()) {
      fail(ErrorCode::InvalidArgument, "Expected (model, newVocabSize: number, seed: number) for resizeTokenEmbeddings");
    }
    const int64_t vocab = info[1].As<Napi::Number>().Int64Value();
    const uint64_t seed = static_cast<uint64_t>(info[2].As<Napi::Number>().Int64Value());
    ModelPtr m = slot.model;
    return Job<ModelSummary>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "resizeTokenEmbeddings",
        [m, vocab, seed] {
          resize_token_embeddings(*m, vocab, seed);
          return summarize(*m);
        },
        [h](Napi::Env env, ModelSummary& s) -> Napi::Value {
          auto& models = AddonState::of(env).models;
          if (auto it = models.find(h); it != models.end()) it->second.summary = s;
          return summary_js(env, s);
        });
  });
}

struct SaveOut {
  safetensors::SaveResult result;
};

Napi::Value save(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "save", [&]() -> Napi::Value {
    auto& slot = AddonState::of(env).slot(handle_arg(info, 0));
    auto o = object_arg(info, 1, "options");
    auto dir = string(o, "dir");
    auto dtype = string_or(o, "dtype", "float32");
    auto max_shard = static_cast<uint64_t>(number_or(o, "maxShardBytes", 5e9));
    ModelPtr m = slot.model;
    return Job<SaveOut>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "save",
        [=] { return SaveOut{save_text_model(*m, dir, dtype, max_shard)}; },
        [](Napi::Env env, SaveOut& out) -> Napi::Value { return save_result_js(env, out.result); });
  });
}

struct Nothing {};

// Removes the handle at once (later calls fail with E_DISPOSED) and releases the model on its
// executor after every job queued before it, so in-flight work finishes first.
Napi::Value dispose(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "dispose", [&]() -> Napi::Value {
    const int64_t h = handle_arg(info, 0);
    auto& state = AddonState::of(env);
    auto& slot = state.slot(h);
    auto m = std::make_shared<ModelPtr>(slot.model);
    auto key = slot.executor_key;
    state.models.erase(h);
    state.disposed.insert(h);
    return Job<Nothing>::submit(
        env, state.executors.for_device(key), "dispose",
        [m] {
          m->reset();  // the last reference normally goes here, on the device's own thread
          return Nothing{};
        },
        [](Napi::Env env, Nothing&) { return env.Undefined(); });
  });
}

}  // namespace

void register_model_ops(Napi::Env env, Napi::Object exports) {
  exports.Set("loadModel", Napi::Function::New(env, load_model, "loadModel"));
  exports.Set("initModel", Napi::Function::New(env, init_model, "initModel"));
  exports.Set("modelInfo", Napi::Function::New(env, model_info, "modelInfo"));
  exports.Set("resizeTokenEmbeddings", Napi::Function::New(env, resize_token_embeddings, "resizeTokenEmbeddings"));
  exports.Set("save", Napi::Function::New(env, save, "save"));
  exports.Set("dispose", Napi::Function::New(env, dispose, "dispose"));
}

}  // namespace roboalign::addon
