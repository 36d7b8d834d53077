// Device/dtype parsing and parameter naming of a loaded text model.
#include "engine/text_model.h"

#include "runtime/errors.h"

namespace roboalign {

std::vector<std::pair<std::string, torch::Tensor>> TextModel::named_parameters() const {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& item : net->named_parameters(/*recurse=*/true)) out.emplace_back(item.key(), item.value());
  return out;
}

torch::Device parse_device(const std::string& name) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    check(torch::cuda::is_available(), ErrorCode::Device,
          "device " + name + " was requested but this libtorch sees no CUDA device. Fix: run on a GPU node with a CUDA "
          "build of PyTorch (TORCH_DIR or .venv), or use --device cpu. `roboalign doctor` shows what was found.");
    torch::Device d(name == "cuda" ? "cuda:0" : name);
    check(d.index() < static_cast<int64_t>(torch::cuda::device_count()), ErrorCode::Device,
          "device " + name + " does not exist (" + std::to_string(torch::cuda::device_count()) + " CUDA devices visible)");
    return d;
  }
  fail(ErrorCode::InvalidArgument, "unknown device \"" + name + "\" (expected cpu, cuda or cuda:N)");
}

torch::ScalarType parse_dtype(const std::string& name) {
  if (name == "float32") return torch::kFloat32;
  if (name == "bfloat16") return torch::kBFloat16;
  if (name == "float16") return torch::kFloat16;
  fail(ErrorCode::InvalidArgument, "unknown dtype \"" + name + "\" (expected float32, bfloat16 or float16)");
}

std::string dtype_label(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat32: return "float32";
    case torch::kBFloat16: return "bfloat16";
    case torch::kFloat16: return "float16";
    default: return c10::toString(type);
  }
}

}  // namespace roboalign
