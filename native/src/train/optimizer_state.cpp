// ref: torch/csrc/api/src/optim/adamw.cpp (libtorch 2.x AdamWParamState: step, exp_avg,
// exp_avg_sq), keyed here by parameter name instead of by position only so a mismatch is caught.
#include "train/optimizer_state.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "runtime/errors.h"

namespace roboalign::train {

namespace {

constexpr const char* kFormat = "roboalign.adamw/1";

void require_optimizer(const torch::optim::AdamW* optimizer, const char* what) {
  check(optimizer != nullptr, ErrorCode::InvalidArgument,
        std::string("the optimizer is not configured, so there is no state to ") + what +
            ". Fix: configure the optimizer (with the options of the run being resumed) first.");
}

std::string shape_text(c10::IntArrayRef s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

// Archive keys may not contain dots, so tensors are keyed by position; names are checked separately.
std::string key(const char* field, size_t i) { return std::string(field) + "_" + std::to_string(i); }

}  // namespace

OptimizerStateInfo save_adamw_state(const torch::optim::AdamW* optimizer, const std::vector<torch::Tensor>& params,
                                    const std::vector<std::string>& param_names, const std::string& path) {
  require_optimizer(optimizer, "save");
  const auto parent = std::filesystem::path(path).parent_path();
  check(parent.empty() || std::filesystem::is_directory(parent), ErrorCode::FileNotFound,
        "cannot write " + path + ": the folder " + parent.string() + " does not exist. Fix: create it first.");
  torch::NoGradGuard no_grad;
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string(kFormat)));
  c10::List<std::string> names;
  for (const auto& n : param_names) names.push_back(n);
  archive.write("names", c10::IValue(names));
  OptimizerStateInfo info;
  info.parameters = static_cast<int64_t>(params.size());
  auto& state = optimizer->state();
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& p = params[i];
    archive.write(key("shape", i), c10::IValue(p.sizes().vec()));
    auto it = state.find(p.unsafeGetTensorImpl());
    // A parameter that never received a gradient has no state yet; step -1 records that.
    if (it == state.end()) {
      archive.write(key("step", i), c10::IValue(int64_t{-1}));
      continue;
    }
    const auto& s = static_cast<const torch::optim::AdamWParamState&>(*it->second);
    archive.write(key("step", i), c10::IValue(s.step()));
    archive.write(key("exp_avg", i), s.exp_avg().to(torch::kCPU).contiguous(), /*is_buffer=*/true);
    archive.write(key("exp_avg_sq", i), s.exp_avg_sq().to(torch::kCPU).contiguous(), /*is_buffer=*/true);
    info.step = std::max(info.step, s.step());
  }
  const std::string tmp = path + ".tmp";
  archive.save_to(tmp);
  check(std::rename(tmp.c_str(), path.c_str()) == 0, ErrorCode::Internal, "cannot rename " + tmp + " to " + path);
  return info;
}

OptimizerStateInfo load_adamw_state(torch::optim::AdamW* optimizer, const std::vector<torch::Tensor>& params,
                                    const std::vector<std::string>& param_names, const std::string& path) {
  require_optimizer(optimizer, "load into");
  check(std::filesystem::is_regular_file(path), ErrorCode::FileNotFound,
        "optimizer state file not found: " + path + ". Fix: pass the file written by saveOptimizerState.");
  torch::serialize::InputArchive archive;
  c10::IValue format, names_value;
  try {
    archive.load_from(path, torch::Device(torch::kCPU));
    archive.read("format", format);
    archive.read("names", names_value);
  } catch (const c10::Error& e) {
    fail(ErrorCode::Checkpoint, path + " is not an optimizer state file written by saveOptimizerState (" +
                                    std::string(e.what_without_backtrace()).substr(0, 200) + ")");
  }
  check(format.isString() && format.toStringRef() == kFormat, ErrorCode::Checkpoint,
        path + " has an unknown optimizer state format (expected " + kFormat + ")");
  std::vector<std::string> names;
  for (const auto& n : names_value.toList()) names.push_back(static_cast<c10::IValue>(n).toStringRef());
  const std::string fix = " Fix: configure the optimizer with the freeze patterns of the saved run, on the same model.";
  check(names.size() == params.size(), ErrorCode::Checkpoint,
        path + " holds the state of " + std::to_string(names.size()) + " parameters but the configured optimizer trains " +
            std::to_string(params.size()) + "." + fix);
  for (size_t i = 0; i < names.size(); ++i) {
    check(names[i] == param_names[i], ErrorCode::Checkpoint,
          path + ": parameter " + std::to_string(i) + " is " + names[i] + " in the file but " + param_names[i] +
              " in the configured optimizer." + fix);
  }
  // Read everything before touching the optimizer, so a bad file leaves it as it was.
  std::vector<std::unique_ptr<torch::optim::AdamWParamState>> loaded(names.size());
  OptimizerStateInfo info;
  info.parameters = static_cast<int64_t>(names.size());
  try {
    for (size_t i = 0; i < names.size(); ++i) {
      const auto& p = params[i];
      c10::IValue shape, step;
      archive.read(key("shape", i), shape);
      check(shape.toIntVector() == p.sizes().vec(), ErrorCode::Checkpoint,
            path + ": " + names[i] + " has shape " + shape_text(shape.toIntVector()) + " in the file but " + shape_text(p.sizes()) +
                " in the model." + fix);
      archive.read(key("step", i), step);
      if (step.toInt() < 0) continue;
      torch::Tensor exp_avg, exp_avg_sq;
      archive.read(key("exp_avg", i), exp_avg, /*is_buffer=*/true);
      archive.read(key("exp_avg_sq", i), exp_avg_sq, /*is_buffer=*/true);
      check(exp_avg.sizes() == p.sizes() && exp_avg_sq.sizes() == p.sizes(), ErrorCode::Checkpoint,
            path + ": the moments of " + names[i] + " do not have its shape " + shape_text(p.sizes()));
      auto s = std::make_unique<torch::optim::AdamWParamState>();
      s->step(step.toInt());
      s->exp_avg(exp_avg.to(p.device(), p.scalar_type()).contiguous());
      s->exp_avg_sq(exp_avg_sq.to(p.device(), p.scalar_type()).contiguous());
      info.step = std::max(info.step, step.toInt());
      loaded[i] = std::move(s);
    }
  } catch (const c10::Error& e) {
    fail(ErrorCode::Checkpoint, path + " is incomplete or damaged: " + std::string(e.what_without_backtrace()).substr(0, 200));
  }
  auto& state = optimizer->state();
  for (size_t i = 0; i < names.size(); ++i) {
    void* k = params[i].unsafeGetTensorImpl();
    state.erase(k);
    if (loaded[i]) state[k] = std::move(loaded[i]);
  }
  return info;
}

OptimizerStateInfo save_optimizer_state(const TextModel& m, const std::string& path) {
  return save_adamw_state(m.optimizer.get(), m.trainable, m.trainable_names, path);
}

OptimizerStateInfo load_optimizer_state(TextModel& m, const std::string& path) {
  return load_adamw_state(m.optimizer.get(), m.trainable, m.trainable_names, path);
}

}  // namespace roboalign::train
