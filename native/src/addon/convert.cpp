// JS ↔ C++ argument conversion with uniform error messages.
#include "addon/convert.h"

#include <cmath>
#include <cstring>

#include "runtime/errors.h"

namespace roboalign::addon {

namespace {

std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsTypedArray()) return "a typed array";
  if (v.IsArray()) return "an array";
  if (v.IsNumber()) return "the number " + std::to_string(v.As<Napi::Number>().DoubleValue());
  if (v.IsString()) return "the string \"" + v.As<Napi::String>().Utf8Value() + "\"";
  if (v.IsBoolean()) return "a boolean";
  return "an object";
}

[[noreturn]] void bad(const std::string& what, const std::string& name, const Napi::Value& v) {
  fail(ErrorCode::InvalidArgument, "Expected " + what + " for " + name + " but received " + describe(v));
}

}  // namespace

Napi::Object object_arg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsObject()) bad("an object", name, info.Length() > index ? info[index] : info.Env().Undefined());
  return info[index].As<Napi::Object>();
}

Napi::Object object_field(const Napi::Object& o, const char* key) {
  auto v = o.Get(key);
  if (!v.IsObject() || v.IsArray()) bad("an object", key, v);
  return v.As<Napi::Object>();
}

double number(const Napi::Object& o, const char* key) {
  auto v = o.Get(key);
  if (!v.IsNumber() || !std::isfinite(v.As<Napi::Number>().DoubleValue())) bad("a finite number", key, v);
  return v.As<Napi::Number>().DoubleValue();
}

double number_or(const Napi::Object& o, const char* key, double fallback) {
  auto v = o.Get(key);
  return v.IsUndefined() || v.IsNull() ? fallback : number(o, key);
}

int64_t integer(const Napi::Object& o, const char* key) {
  double d = number(o, key);
  if (std::floor(d) != d) bad("an integer", key, o.Get(key));
  return static_cast<int64_t>(d);
}

std::string string(const Napi::Object& o, const char* key) {
  auto v = o.Get(key);
  if (!v.IsString()) bad("a string", key, v);
  return v.As<Napi::String>().Utf8Value();
}

std::string string_or(const Napi::Object& o, const char* key, const std::string& fallback) {
  auto v = o.Get(key);
  return v.IsUndefined() || v.IsNull() ? fallback : string(o, key);
}

bool boolean_or(const Napi::Object& o, const char* key, bool fallback) {
  auto v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsBoolean()) bad("a boolean", key, v);
  return v.As<Napi::Boolean>().Value();
}

std::vector<int64_t> int_list(const Napi::Value& v, const char* name) {
  if (!v.IsArray()) bad("an array of integers", name, v);
  auto a = v.As<Napi::Array>();
  std::vector<int64_t> out;
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value e = a.Get(i);
    if (!e.IsNumber() || std::floor(e.As<Napi::Number>().DoubleValue()) != e.As<Napi::Number>().DoubleValue()) {
      bad("an array of integers", name, v);
    }
    out.push_back(e.As<Napi::Number>().Int64Value());
  }
  return out;
}

std::vector<std::string> string_list(const Napi::Value& v, const char* name) {
  if (!v.IsArray()) bad("an array of strings", name, v);
  auto a = v.As<Napi::Array>();
  std::vector<std::string> out;
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value e = a.Get(i);
    if (!e.IsString()) bad("an array of strings", name, v);
    out.push_back(e.As<Napi::String>().Utf8Value());
  }
  return out;
}

std::vector<int32_t> int32_array(const Napi::Value& v, const char* name) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) bad("an Int32Array", name, v);
  auto a = v.As<Napi::Int32Array>();
  return std::vector<int32_t>(a.Data(), a.Data() + a.ElementLength());
}

std::vector<uint8_t> uint8_array(const Napi::Value& v, const char* name) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) bad("a Uint8Array", name, v);
  auto a = v.As<Napi::Uint8Array>();
  return std::vector<uint8_t>(a.Data(), a.Data() + a.ElementLength());
}

std::vector<float> float32_vector(const Napi::Value& v, const char* name) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) bad("a Float32Array", name, v);
  auto a = v.As<Napi::Float32Array>();
  return std::vector<float>(a.Data(), a.Data() + a.ElementLength());
}

void read_images(const Napi::Object& o, std::vector<float>* pixels, std::vector<int32_t>* grids) {
  auto pv = o.Get("pixelValues");
  auto grid = o.Get("imageGridThw");
  const bool has_pv = !pv.IsUndefined() && !pv.IsNull();
  const bool has_grid = !grid.IsUndefined() && !grid.IsNull();
  if (has_pv != has_grid) fail(ErrorCode::InvalidArgument, "pixelValues and imageGridThw go together: give both or neither");
  if (!has_pv) return;
  *pixels = float32_vector(pv, "pixelValues");
  *grids = int32_array(grid, "imageGridThw");
}

std::optional<VisionSpec> vision_spec(const Napi::Object& o) {
  auto v = o.Get("vision");
  if (v.IsUndefined() || v.IsNull()) return std::nullopt;
  if (!v.IsObject()) bad("an object", "vision", v);
  auto vo = v.As<Napi::Object>();
  auto c = object_field(vo, "config");
  VisionSpec spec;
  spec.image_token_id = integer(vo, "imageTokenId");
  auto& vc = spec.config;
  vc.depth = integer(c, "depth");
  vc.hidden_size = integer(c, "hiddenSize");
  vc.intermediate_size = integer(c, "intermediateSize");
  vc.num_heads = integer(c, "numHeads");
  vc.in_channels = integer(c, "inChannels");
  vc.out_hidden_size = integer(c, "outHiddenSize");
  vc.patch_size = integer(c, "patchSize");
  vc.temporal_patch_size = integer(c, "temporalPatchSize");
  vc.spatial_merge_size = integer(c, "spatialMergeSize");
  vc.window_size = integer(c, "windowSize");
  vc.fullatt_block_indexes = int_list(c.Get("fullattBlockIndexes"), "fullattBlockIndexes");
  vc.rms_norm_eps = number_or(c, "rmsNormEps", 1e-6);
  return spec;
}

int64_t handle_arg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    bad("a model handle", "model", info.Length() > index ? info[index] : info.Env().Undefined());
  }
  return info[index].As<Napi::Number>().Int64Value();
}

qwen2::TextConfig text_config(const Napi::Object& o) {
  qwen2::TextConfig c;
  c.vocab_size = integer(o, "vocabSize");
  c.hidden_size = integer(o, "hiddenSize");
  c.intermediate_size = integer(o, "intermediateSize");
  c.num_hidden_layers = integer(o, "numHiddenLayers");
  c.num_attention_heads = integer(o, "numAttentionHeads");
  c.num_key_value_heads = integer(o, "numKeyValueHeads");
  c.head_dim = integer(o, "headDim");
  c.rms_norm_eps = number(o, "rmsNormEps");
  c.rope_theta = number(o, "ropeTheta");
  auto section = o.Get("mropeSection");
  if (!section.IsNull() && !section.IsUndefined()) c.mrope_section = int_list(section, "mropeSection");
  auto tie = o.Get("tieWordEmbeddings");
  if (!tie.IsBoolean()) bad("a boolean", "tieWordEmbeddings", tie);
  c.tie_word_embeddings = tie.As<Napi::Boolean>().Value();
  c.max_position_embeddings = integer(o, "maxPositionEmbeddings");
  c.initializer_range = number_or(o, "initializerRange", 0.02);
  return c;
}

std::vector<safetensors::WeightEntry> weight_entries(const Napi::Value& v) {
  if (!v.IsArray()) bad("an array of weight entries", "weights", v);
  auto a = v.As<Napi::Array>();
  std::vector<safetensors::WeightEntry> out;
  out.reserve(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value ev = a.Get(i);
    if (!ev.IsObject()) bad("a weight entry object", "weights[i]", ev);
    auto e = ev.As<Napi::Object>();
    safetensors::WeightEntry w;
    w.name = string(e, "name");
    w.file = string(e, "file");
    w.dtype = string(e, "dtype");
    w.shape = int_list(e.Get("shape"), "shape");
    w.begin = static_cast<uint64_t>(integer(e, "begin"));
    w.end = static_cast<uint64_t>(integer(e, "end"));
    out.push_back(std::move(w));
  }
  return out;
}

TokenBatch token_batch(const Napi::Object& o, bool with_labels) {
  TokenBatch b;
  b.ids = int32_array(o.Get("inputIds"), "inputIds");
  b.batch = integer(o, "batch");
  b.seq_len = integer(o, "seqLen");
  auto mask = o.Get("attentionMask");
  if (!mask.IsUndefined() && !mask.IsNull()) b.mask = uint8_array(mask, "attentionMask");
  auto pos = o.Get("positionIds");
  if (!pos.IsUndefined() && !pos.IsNull()) b.positions = int32_array(pos, "positionIds");
  if (with_labels) b.labels = int32_array(o.Get("labels"), "labels");
  read_images(o, &b.pixel_values, &b.image_grid_thw);
  return b;
}

Napi::Float32Array float32_array(Napi::Env env, const torch::Tensor& t) {
  auto c = t.to(torch::kCPU, torch::kFloat32).contiguous();
  auto out = Napi::Float32Array::New(env, static_cast<size_t>(c.numel()));
  if (c.numel()) std::memcpy(out.Data(), c.data_ptr<float>(), static_cast<size_t>(c.numel()) * sizeof(float));
  return out;
}

Napi::Array shape_array(Napi::Env env, c10::IntArrayRef shape) {
  auto a = Napi::Array::New(env, shape.size());
  for (size_t i = 0; i < shape.size(); ++i) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(shape[i])));
  return a;
}

Napi::Object save_result_js(Napi::Env env, const safetensors::SaveResult& r) {
  auto o = Napi::Object::New(env);
  auto map = Napi::Object::New(env);
  for (const auto& [name, file] : r.weight_map) map.Set(name, file);
  auto files = Napi::Array::New(env, r.files.size());
  for (size_t i = 0; i < r.files.size(); ++i) files.Set(static_cast<uint32_t>(i), r.files[i]);
  o.Set("weightMap", map);
  o.Set("files", files);
  o.Set("totalBytes", Napi::Number::New(env, static_cast<double>(r.total_bytes)));
  return o;
}

Napi::Object optimizer_state_js(Napi::Env env, int64_t parameters, int64_t step) {
  auto o = Napi::Object::New(env);
  o.Set("parameters", Napi::Number::New(env, static_cast<double>(parameters)));
  o.Set("step", Napi::Number::New(env, static_cast<double>(step)));
  return o;
}

}  // namespace roboalign::addon
