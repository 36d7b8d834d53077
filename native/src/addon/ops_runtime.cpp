// runtimeInfo (versions, devices, threads) and matmulBenchmark (a timed fp32 GEMM loop).
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>

#include <chrono>

#include "addon/addon_state.h"
#include "addon/convert.h"
#include "addon/job.h"
#include "addon/ops.h"
#include "compat/torch_compat.h"
#include "engine/text_model.h"

#ifndef ROBOALIGN_VERSION
#define ROBOALIGN_VERSION "0.0.0"
#endif

namespace roboalign::addon {

namespace {

Napi::Value runtime_info(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto o = Napi::Object::New(env);
  o.Set("addonVersion", ROBOALIGN_VERSION);
  o.Set("libtorchVersion", compat::libtorch_version());
  const bool cuda = torch::cuda::is_available();
  o.Set("compiledWithCuda", Napi::Boolean::New(env, at::hasCUDA()));
  o.Set("cudaAvailable", Napi::Boolean::New(env, cuda));
  // Version queries go through ATen's CUDA hooks, which exist (and throw) in CPU-only builds too.
  auto version = [&](auto query) -> Napi::Value {
    try {
      const long v = static_cast<long>(query());
      return v > 0 ? Napi::Value(Napi::String::New(env, std::to_string(v))) : env.Null();
    } catch (...) {
      return env.Null();
    }
  };
  o.Set("cudaVersion", cuda ? version([] { return at::detail::getCUDAHooks().versionCUDART(); }) : env.Null());
  o.Set("cudnnVersion", cuda ? version([] { return at::detail::getCUDAHooks().versionCuDNN(); }) : env.Null());
  auto devices = Napi::Array::New(env);
  auto cpu = Napi::Object::New(env);
  cpu.Set("name", "cpu");
  cpu.Set("type", "cpu");
  cpu.Set("totalMemory", env.Null());
  devices.Set(0u, cpu);
  if (cuda) {
    const size_t count = static_cast<size_t>(torch::cuda::device_count());
    for (size_t i = 0; i < count; ++i) {
      auto d = Napi::Object::New(env);
      d.Set("name", "cuda:" + std::to_string(i));
      d.Set("type", "cuda");
      d.Set("totalMemory", env.Null());
      devices.Set(static_cast<uint32_t>(i + 1), d);
    }
  }
  o.Set("devices", devices);
  o.Set("intraOpThreads", Napi::Number::New(env, at::get_num_threads()));
  o.Set("interOpThreads", Napi::Number::New(env, at::get_num_interop_threads()));
  auto kernels = Napi::Object::New(env);
  kernels.Set("attention", "aten.scaled_dot_product_attention");
  kernels.Set("rmsNorm", "aten");
  o.Set("kernels", kernels);
  return o;
}

struct BenchResult {
  int64_t iterations;
  double seconds, gflops;
};

Napi::Value matmul_benchmark(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "matmulBenchmark", [&]() -> Napi::Value {
    if (info.Length() < 3 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsNumber()) {
      fail(ErrorCode::InvalidArgument, "Expected (device: string, size: number, seconds: number) for matmulBenchmark");
    }
    const std::string device = info[0].As<Napi::String>().Utf8Value();
    const int64_t size = info[1].As<Napi::Number>().Int64Value();
    const double seconds = info[2].As<Napi::Number>().DoubleValue();
    check(size >= 1 && size <= 16384, ErrorCode::InvalidArgument, "size must be in [1, 16384]");
    check(seconds > 0 && seconds <= 600, ErrorCode::InvalidArgument, "seconds must be in (0, 600]");
    auto& executor = AddonState::of(env).executors.for_device(executor_key(device));
    return Job<BenchResult>::submit(
        env, executor, "matmulBenchmark",
        [device, size, seconds] {
          torch::NoGradGuard no_grad;
          auto dev = parse_device(device);
          auto a = torch::randn({size, size}, torch::TensorOptions().device(dev));
          auto b = torch::randn({size, size}, torch::TensorOptions().device(dev));
          auto start = std::chrono::steady_clock::now();
          int64_t it = 0;
          double elapsed = 0;
          do {
            auto c = a.matmul(b);
            c.sum().item<float>();  // synchronise, also on CUDA
            ++it;
            elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          } while (elapsed < seconds);
          return BenchResult{it, elapsed, 2.0 * size * size * size * it / elapsed / 1e9};
        },
        [](Napi::Env env, BenchResult& r) -> Napi::Value {
          auto o = Napi::Object::New(env);
          o.Set("iterations", Napi::Number::New(env, static_cast<double>(r.iterations)));
          o.Set("seconds", r.seconds);
          o.Set("gflops", r.gflops);
          return o;
        });
  });
}

}  // namespace

void register_runtime_ops(Napi::Env env, Napi::Object exports) {
  exports.Set("runtimeInfo", Napi::Function::New(env, runtime_info, "runtimeInfo"));
  exports.Set("matmulBenchmark", Napi::Function::New(env, matmul_benchmark, "matmulBenchmark"));
}

}  // namespace roboalign::addon
