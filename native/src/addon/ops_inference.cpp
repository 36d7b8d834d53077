// forward, logprobs and generate.
#include "addon/addon_state.h"
#include "addon/convert.h"
#include "addon/job.h"
#include "addon/ops.h"
#include "engine/forward.h"
#include "engine/multimodal.h"
#include "sampling/generate.h"

namespace roboalign::addon {

namespace {

Napi::Value forward_op(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "forward", [&]() -> Napi::Value {
    auto& slot = AddonState::of(env).slot(handle_arg(info, 0));
    ForwardRequest req;
    req.batch = token_batch(object_arg(info, 1, "batch"), false);
    auto o = info.Length() > 2 && info[2].IsObject() ? info[2].As<Napi::Object>() : Napi::Object::New(env);
    auto layers = o.Get("hiddenLayers");
    if (!layers.IsUndefined()) req.hidden_layers = int_list(layers, "hiddenLayers");
    req.logits = string_or(o, "logits", "all");
    req.norm_hidden = boolean_or(o, "normHidden", false);
    auto m = slot.model;
    return Job<ForwardResult>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "forward",
        [m, req] { return forward(*m, req); },
        [](Napi::Env env, ForwardResult& r) -> Napi::Value {
          auto o = Napi::Object::New(env);
          if (r.logits.defined()) {
            o.Set("logits", float32_array(env, r.logits));
            o.Set("logitsShape", shape_array(env, r.logits.sizes()));
          } else {
            o.Set("logits", env.Null());
            o.Set("logitsShape", Napi::Array::New(env));
          }
          auto hidden = Napi::Array::New(env, r.hidden.size());
          for (size_t i = 0; i < r.hidden.size(); ++i) hidden.Set(static_cast<uint32_t>(i), float32_array(env, r.hidden[i]));
          o.Set("hiddenStates", hidden);
          o.Set("hiddenShape", r.hidden.empty() ? Napi::Array::New(env) : shape_array(env, r.hidden[0].sizes()));
          return o;
        });
  });
}

Napi::Value logprobs_op(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "logprobs", [&]() -> Napi::Value {
    auto& slot = AddonState::of(env).slot(handle_arg(info, 0));
    LogprobsRequest req;
    req.batch = token_batch(object_arg(info, 1, "batch"), false);
    auto o = info.Length() > 2 && info[2].IsObject() ? info[2].As<Napi::Object>() : Napi::Object::New(env);
    req.temperature = number_or(o, "temperature", 1.0);
    req.entropy = boolean_or(o, "entropy", false);
    auto m = slot.model;
    return Job<LogprobsResult>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "logprobs",
        [m, req] { return logprobs(*m, req); },
        [](Napi::Env env, LogprobsResult& r) -> Napi::Value {
          auto o = Napi::Object::New(env);
          o.Set("logprobs", float32_array(env, r.logprobs));
          o.Set("entropy", r.entropy.defined() ? Napi::Value(float32_array(env, r.entropy)) : env.Null());
          return o;
        });
  });
}

std::vector<std::vector<int32_t>> stop_lists(const Napi::Value& v) {
  std::vector<std::vector<int32_t>> out;
  if (v.IsUndefined() || v.IsNull()) return out;
  if (!v.IsArray()) fail(ErrorCode::InvalidArgument, "Expected an array for stopIds");
  auto a = v.As<Napi::Array>();
  bool nested = a.Length() > 0 && a.Get(0u).IsArray();
  if (!nested) {
    std::vector<int32_t> one;
    for (auto id : int_list(v, "stopIds")) one.push_back(static_cast<int32_t>(id));
    out.push_back(one);
    return out;
  }
  for (uint32_t i = 0; i < a.Length(); ++i) {
    std::vector<int32_t> list;
    for (auto id : int_list(a.Get(i), "stopIds[i]")) list.push_back(static_cast<int32_t>(id));
    out.push_back(list);
  }
  return out;
}

Napi::Value generate_op(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "generate", [&]() -> Napi::Value {
    auto& slot = AddonState::of(env).slot(handle_arg(info, 0));
    auto o = object_arg(info, 1, "request");
    sampling::GenerateRequest req;
    req.prompt_ids = int32_array(o.Get("promptIds"), "promptIds");
    req.prompt_offsets = int32_array(o.Get("promptOffsets"), "promptOffsets");
    auto max_new = o.Get("maxNewTokens");
    if (max_new.IsNumber()) {
      req.max_new_tokens = {static_cast<int32_t>(integer(o, "maxNewTokens"))};
    } else {
      req.max_new_tokens = int32_array(max_new, "maxNewTokens");
    }
    req.params.temperature = number(o, "temperature");
    req.params.top_k = static_cast<int64_t>(number_or(o, "topK", 0));
    req.params.top_p = number_or(o, "topP", 1.0);
    check(req.params.temperature >= 0, ErrorCode::InvalidArgument, "temperature must be >= 0 (0 = greedy)");
    check(req.params.top_p > 0 && req.params.top_p <= 1, ErrorCode::InvalidArgument, "topP must be in (0, 1]");
    check(req.params.top_k >= 0, ErrorCode::InvalidArgument, "topK must be >= 0 (0 = off)");
    req.stop_ids = stop_lists(o.Get("stopIds"));
    auto banned = o.Get("bannedIds");
    if (!banned.IsUndefined() && !banned.IsNull()) {
      for (auto id : int_list(banned, "bannedIds")) req.params.banned_ids.push_back(static_cast<int64_t>(id));
    }
    req.seed = static_cast<uint64_t>(integer(o, "seed"));
    auto pos = o.Get("positionIds");
    if (!pos.IsUndefined() && !pos.IsNull()) req.positions = int32_array(pos, "positionIds");
    read_images(o, &req.pixel_values, &req.image_grid_thw);
    auto deltas = o.Get("ropeDeltas");
    if (!deltas.IsUndefined() && !deltas.IsNull()) req.rope_deltas = int32_array(deltas, "ropeDeltas");
    auto m = slot.model;
    return Job<sampling::GenerateResult>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "generate",
        [m, req] { return sampling::generate(*m, req); },
        [](Napi::Env env, sampling::GenerateResult& r) -> Napi::Value {
          auto o = Napi::Object::New(env);
          auto ids = Napi::Int32Array::New(env, r.ids.size());
          std::copy(r.ids.begin(), r.ids.end(), ids.Data());
          auto offsets = Napi::Int32Array::New(env, r.offsets.size());
          std::copy(r.offsets.begin(), r.offsets.end(), offsets.Data());
          auto lp = Napi::Float32Array::New(env, r.logprobs.size());
          std::copy(r.logprobs.begin(), r.logprobs.end(), lp.Data());
          auto reasons = Napi::Array::New(env, r.finish_reasons.size());
          for (size_t i = 0; i < r.finish_reasons.size(); ++i) reasons.Set(static_cast<uint32_t>(i), r.finish_reasons[i]);
          auto meta = Napi::Object::New(env);
          meta.Set("promptTokens", Napi::Number::New(env, static_cast<double>(r.prompt_tokens)));
          meta.Set("generatedTokens", Napi::Number::New(env, static_cast<double>(r.generated_tokens)));
          meta.Set("seconds", r.seconds);
          o.Set("ids", ids);
          o.Set("offsets", offsets);
          o.Set("logprobs", lp);
          o.Set("finishReasons", reasons);
          o.Set("info", meta);
          return o;
        });
  });
}

struct EncodeOut {
  qwen2_5_vl::VisionOutputs outputs;
};

// The vision tower alone: merged image embeddings, optionally the patch embeddings and every
// block's output (parity checks, feature caching).
Napi::Value encode_images_op(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "encodeImages", [&]() -> Napi::Value {
    auto& slot = AddonState::of(env).slot(handle_arg(info, 0));
    auto images = object_arg(info, 1, "images");
    std::vector<float> pixels;
    std::vector<int32_t> grids;
    read_images(images, &pixels, &grids);
    check(!grids.empty(), ErrorCode::InvalidArgument, "encodeImages needs pixelValues and imageGridThw");
    auto o = info.Length() > 2 && info[2].IsObject() ? info[2].As<Napi::Object>() : Napi::Object::New(env);
    const bool blocks = boolean_or(o, "blocks", false);
    auto m = slot.model;
    return Job<EncodeOut>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "encodeImages",
        [m, pixels, grids, blocks] {
          check(m->has_vision(), ErrorCode::InvalidArgument, "this model has no vision tower");
          torch::NoGradGuard no_grad;
          const int64_t pd = m->visual->config.patch_dim();
          check(pixels.size() % pd == 0, ErrorCode::Shape, "pixelValues length is not a multiple of the patch size " + std::to_string(pd));
          auto px = torch::from_blob(const_cast<float*>(pixels.data()), {static_cast<int64_t>(pixels.size()) / pd, pd}, torch::kFloat32);
          return EncodeOut{m->visual->forward(px, parse_grids(grids), blocks)};
        },
        [](Napi::Env env, EncodeOut& r) -> Napi::Value {
          auto o = Napi::Object::New(env);
          o.Set("imageEmbeds", float32_array(env, r.outputs.image_embeds));
          o.Set("embedShape", shape_array(env, r.outputs.image_embeds.sizes()));
          o.Set("patchEmbeds", float32_array(env, r.outputs.patch_embeds));
          auto blocks = Napi::Array::New(env, r.outputs.block_outputs.size());
          for (size_t i = 0; i < r.outputs.block_outputs.size(); ++i) blocks.Set(static_cast<uint32_t>(i), float32_array(env, r.outputs.block_outputs[i]));
          o.Set("blockOutputs", blocks);
          return o;
        });
  });
}

}  // namespace

void register_inference_ops(Napi::Env env, Napi::Object exports) {
  exports.Set("forward", Napi::Function::New(env, forward_op, "forward"));
  exports.Set("logprobs", Napi::Function::New(env, logprobs_op, "logprobs"));
  exports.Set("generate", Napi::Function::New(env, generate_op, "generate"));
  exports.Set("encodeImages", Napi::Function::New(env, encode_images_op, "encodeImages"));
}

}  // namespace roboalign::addon
