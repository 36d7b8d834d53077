// The groups of exported operations (one file each).
#pragma once
#include <napi.h>

namespace roboalign::addon {

void register_runtime_ops(Napi::Env env, Napi::Object exports);    // runtimeInfo, matmulBenchmark
void register_model_ops(Napi::Env env, Napi::Object exports);      // load/init/info/resize/save/dispose
void register_inference_ops(Napi::Env env, Napi::Object exports);  // forward, logprobs, generate
void register_train_ops(Napi::Env env, Napi::Object exports);      // configureOptimizer, sftStep, gradients, optimizer state
void register_policy_ops(Napi::Env env, Napi::Object exports);     // policyStep, policyLoss
void register_action_ops(Napi::Env env, Napi::Object exports);     // GR00T action head: init/load/save, forward, loss, train, sample

}  // namespace roboalign::addon
