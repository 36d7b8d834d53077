// Conversions between JS values and C++ structs. Runs on the main thread only; inputs are
// copied so jobs never touch JS memory. Bad arguments throw CoreError(InvalidArgument) with the
// message format "Expected <what> for <name> but received <value>".
#pragma once
#include <napi.h>
#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "engine/text_model.h"
#include "engine/token_batch.h"
#include "model/qwen2/config.h"
#include "model/safetensors/weights.h"

namespace roboalign::addon {

Napi::Object object_arg(const Napi::CallbackInfo& info, size_t index, const char* name);
Napi::Object object_field(const Napi::Object& o, const char* key);
double number(const Napi::Object& o, const char* key);
double number_or(const Napi::Object& o, const char* key, double fallback);
int64_t integer(const Napi::Object& o, const char* key);
std::string string(const Napi::Object& o, const char* key);
std::string string_or(const Napi::Object& o, const char* key, const std::string& fallback);
bool boolean_or(const Napi::Object& o, const char* key, bool fallback);
std::vector<int64_t> int_list(const Napi::Value& v, const char* name);
std::vector<std::string> string_list(const Napi::Value& v, const char* name);
std::vector<int32_t> int32_array(const Napi::Value& v, const char* name);  // Int32Array, copied
std::vector<uint8_t> uint8_array(const Napi::Value& v, const char* name);  // Uint8Array, copied
std::vector<float> float32_vector(const Napi::Value& v, const char* name);  // Float32Array, copied
int64_t handle_arg(const Napi::CallbackInfo& info, size_t index);

qwen2::TextConfig text_config(const Napi::Object& o);
std::vector<safetensors::WeightEntry> weight_entries(const Napi::Value& v);
TokenBatch token_batch(const Napi::Object& o, bool with_labels);
// Optional {pixelValues: Float32Array, imageGridThw: Int32Array} of an object, into out vectors.
void read_images(const Napi::Object& o, std::vector<float>* pixels, std::vector<int32_t>* grids);
// Optional `vision` field of load/init options.
std::optional<VisionSpec> vision_spec(const Napi::Object& o);

Napi::Float32Array float32_array(Napi::Env env, const torch::Tensor& t);  // copies a float32 CPU tensor
Napi::Array shape_array(Napi::Env env, c10::IntArrayRef shape);
// {weightMap, files, totalBytes} of a safetensors save (SaveResult in the contract).
Napi::Object save_result_js(Napi::Env env, const safetensors::SaveResult& r);
// {parameters, step} of an optimizer-state file (OptimizerStateInfo in the contract).
Napi::Object optimizer_state_js(Napi::Env env, int64_t parameters, int64_t step);

}  // namespace roboalign::addon
