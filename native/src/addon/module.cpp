// Registration of the roboalign_core addon: one exported function per native operation.
#include <napi.h>

#include "addon/addon_state.h"
#include "addon/ops.h"

namespace roboalign::addon {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto* state = new AddonState();
  env.SetInstanceData<AddonState>(state);  // deleted by node-addon-api at environment teardown
  // Finish queued jobs and join the executor threads before the environment goes away.
  env.AddCleanupHook([state] { state->executors.stop_all(); });
  register_runtime_ops(env, exports);
  register_model_ops(env, exports);
  register_inference_ops(env, exports);
  register_train_ops(env, exports);
  register_policy_ops(env, exports);
  register_action_ops(env, exports);
  return exports;
}

}  // namespace roboalign::addon

static Napi::Object InitRoboalignCore(Napi::Env env, Napi::Object exports) { return roboalign::addon::init(env, exports); }

NODE_API_MODULE(roboalign_core, InitRoboalignCore)
