// Safetensors load (memory-mapped) and save (atomic, sharded), format per
// huggingface/safetensors: u64 LE header size, JSON header, raw little-endian tensor bytes.
#include "model/safetensors/weights.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "model/safetensors/mapped_file.h"
#include "runtime/errors.h"

namespace roboalign::safetensors {

namespace fs = std::filesystem;

torch::ScalarType scalar_type_of(const std::string& dtype) {
  if (dtype == "F32") return torch::kFloat32;
  if (dtype == "BF16") return torch::kBFloat16;
  if (dtype == "F16") return torch::kFloat16;
  fail(ErrorCode::Checkpoint, "unsupported safetensors dtype " + dtype + " (supported: F32, BF16, F16)");
}

std::string dtype_name(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat32: return "F32";
    case torch::kBFloat16: return "BF16";
    case torch::kFloat16: return "F16";
    default: fail(ErrorCode::InvalidArgument, std::string("cannot save dtype ") + c10::toString(type));
  }
}

std::string canonical_key(const std::string& name) {
  static const std::string lm = "model.language_model.", vis = "model.visual.";
  if (name.rfind(lm, 0) == 0) return "model." + name.substr(lm.size());
  if (name.rfind(vis, 0) == 0) return "visual." + name.substr(vis.size());
  return name;
}

namespace {

std::string shape_str(c10::IntArrayRef shape) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
  s << "]";
  return s.str();
}

std::string list_names(const std::vector<std::string>& names, size_t max = 8) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < max; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > max) out += ", … (" + std::to_string(names.size()) + " in all)";
  return out;
}

}  // namespace

void load_weights(const std::vector<WeightEntry>& entries, std::map<std::string, torch::Tensor> params,
                  const std::vector<std::string>& ignored) {
  std::map<std::string, std::unique_ptr<MappedFile>> files;
  std::set<std::string> ignore(ignored.begin(), ignored.end());
  std::vector<std::string> unexpected;
  std::set<std::string> loaded;
  torch::NoGradGuard no_grad;
  for (const auto& e : entries) {
    const std::string key = canonical_key(e.name);
    if (ignore.count(key)) continue;
    auto it = params.find(key);
    if (it == params.end()) {
      unexpected.push_back(e.name);
      continue;
    }
    torch::Tensor& param = it->second;
    if (param.sizes() != c10::IntArrayRef(e.shape)) {
      fail(ErrorCode::Shape, "weight " + e.name + " has shape " + shape_str(e.shape) + " in " + e.file +
                                 " but the model expects " + shape_str(param.sizes()) +
                                 ". Fix: the config.json does not match these weights (vocab_size, hidden_size, …).");
    }
    auto& mapped = files[e.file];
    if (!mapped) mapped = std::make_unique<MappedFile>(e.file);
    const auto type = scalar_type_of(e.dtype);
    const uint64_t need = static_cast<uint64_t>(param.numel()) * c10::elementSize(type);
    if (e.end - e.begin != need || e.end > mapped->size()) {
      fail(ErrorCode::Checkpoint, "weight " + e.name + " in " + e.file + " spans bytes [" + std::to_string(e.begin) + ", " +
                                      std::to_string(e.end) + ") but needs " + std::to_string(need) + " bytes inside a " +
                                      std::to_string(mapped->size()) + "-byte file: the file is truncated or corrupt.");
    }
    auto src = torch::from_blob(const_cast<uint8_t*>(mapped->data() + e.begin), e.shape,
                                torch::TensorOptions().dtype(type));
    param.copy_(src);
    loaded.insert(key);
  }
  std::vector<std::string> missing;
  for (const auto& [name, _] : params) {
    if (!loaded.count(name)) missing.push_back(name);
  }
  if (!missing.empty() || !unexpected.empty()) {
    std::string msg = "checkpoint does not match the model.";
    if (!missing.empty()) msg += " Missing keys: " + list_names(missing) + ".";
    if (!unexpected.empty()) msg += " Unexpected keys: " + list_names(unexpected) + ".";
    msg += " Fix: check that config.json describes these weights (architecture, number of layers, tie_word_embeddings).";
    fail(ErrorCode::Checkpoint, msg);
  }
}

namespace {

// Tensors are converted one at a time while writing, so saving never holds a second model copy.
void write_file(const fs::path& path, const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                torch::ScalarType dtype) {
  // Header: names in insertion order with byte offsets relative to the end of the header.
  std::ostringstream header;
  header << "{\"__metadata__\":{\"format\":\"pt\"}";
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    const uint64_t bytes = static_cast<uint64_t>(t.numel()) * c10::elementSize(dtype);
    header << ",\"" << name << "\":{\"dtype\":\"" << dtype_name(dtype) << "\",\"shape\":[";
    for (int64_t d = 0; d < t.dim(); ++d) header << (d ? "," : "") << t.size(d);
    header << "],\"data_offsets\":[" << offset << "," << offset + bytes << "]}";
    offset += bytes;
  }
  header << "}";
  std::string h = header.str();
  while ((8 + h.size()) % 8 != 0) h.push_back(' ');  // keep tensor data 8-byte aligned

  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    check(out.good(), ErrorCode::InvalidArgument, "cannot write " + tmp.string() + ": check the folder exists and is writable");
    uint64_t n = h.size();
    unsigned char len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>((n >> (8 * i)) & 0xff);
    out.write(reinterpret_cast<const char*>(len), 8);
    out.write(h.data(), static_cast<std::streamsize>(h.size()));
    for (const auto& [name, t] : tensors) {
      auto cpu = t.detach().to(torch::kCPU, dtype).contiguous();
      out.write(static_cast<const char*>(cpu.data_ptr()), static_cast<std::streamsize>(cpu.numel() * cpu.element_size()));
    }
    out.flush();
    check(out.good(), ErrorCode::Internal, "writing " + tmp.string() + " failed (disk full?)");
  }
  fs::rename(tmp, path);
}

}  // namespace

SaveResult save_weights(const std::vector<std::pair<std::string, torch::Tensor>>& tensors, const std::string& dir,
                        torch::ScalarType dtype, uint64_t max_shard_bytes) {
  fs::create_directories(dir);
  std::vector<std::vector<std::pair<std::string, torch::Tensor>>> shards(1);
  uint64_t shard_bytes = 0;
  SaveResult result;
  for (const auto& [name, t] : tensors) {
    dtype_name(dtype);  // rejects unsupported dtypes before anything is written
    const uint64_t bytes = static_cast<uint64_t>(t.numel()) * c10::elementSize(dtype);
    if (!shards.back().empty() && max_shard_bytes > 0 && shard_bytes + bytes > max_shard_bytes) {
      shards.emplace_back();
      shard_bytes = 0;
    }
    shards.back().emplace_back(name, t);
    shard_bytes += bytes;
    result.total_bytes += bytes;
  }
  const size_t n = shards.size();
  for (size_t i = 0; i < n; ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "model-%05zu-of-%05zu.safetensors", i + 1, n);
    const std::string file = n == 1 ? "model.safetensors" : buf;
    write_file(fs::path(dir) / file, shards[i], dtype);
    result.files.push_back(file);
    for (const auto& [name, _] : shards[i]) result.weight_map[name] = file;
  }
  return result;
}

}  // namespace roboalign::safetensors
