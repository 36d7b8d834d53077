// Per-environment state of the addon (context-aware: no mutable globals): the device executors
// and the table of live models behind their handles. Touched only on the main thread.
#pragma once
#include <napi.h>

#include <map>
#include <memory>
#include <set>
#include <string>

#include "engine/lifecycle.h"
#include "engine/text_model.h"
#include "runtime/errors.h"
#include "runtime/executor.h"

namespace roboalign::addon {

struct ModelSlot {
  std::shared_ptr<TextModel> model;
  std::string executor_key;
  ModelSummary summary;  // refreshed whenever a job changes it, so modelInfo() never races a job
};

struct AddonState {
  ExecutorPool executors;
  std::map<int64_t, ModelSlot> models;
  std::set<int64_t> disposed;
  int64_t next_handle = 1;

  static AddonState& of(Napi::Env env) { return *env.GetInstanceData<AddonState>(); }

  ModelSlot& slot(int64_t handle) {
    auto it = models.find(handle);
    if (it != models.end()) return it->second;
    if (disposed.count(handle)) {
      fail(ErrorCode::Disposed, "model " + std::to_string(handle) + " is disposed. Fix: load it again; a disposed model cannot be used.");
    }
    fail(ErrorCode::InvalidArgument, "unknown model handle " + std::to_string(handle));
  }

  int64_t add(std::shared_ptr<TextModel> model, const std::string& executor_key) {
    const int64_t h = next_handle++;
    models[h] = ModelSlot{model, executor_key, summarize(*model)};
    return h;
  }
};

// "cuda" and "cuda:0" share one executor.
inline std::string executor_key(const std::string& device) { return device == "cuda" ? "cuda:0" : device; }

}  // namespace roboalign::addon
