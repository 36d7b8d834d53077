// Reading parameters from, and writing them to, safetensors files under checkpoint key names.
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace roboalign::safetensors {

// One tensor inside a safetensors file; begin/end are absolute byte offsets in the file.
struct WeightEntry {
  std::string name;
  std::string file;
  std::string dtype;  // "F32" | "BF16" | "F16"
  std::vector<int64_t> shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

torch::ScalarType scalar_type_of(const std::string& dtype);
std::string dtype_name(torch::ScalarType type);

// Normalises the transformers >= 4.52 in-memory prefixes to the hub names:
// model.language_model.* → model.*, model.visual.* → visual.*
std::string canonical_key(const std::string& name);

// Copies every entry into the parameter of the same (canonical) name. Fails with E_CHECKPOINT
// listing missing and unexpected keys, with E_SHAPE on a shape mismatch. `ignored` names (e.g.
// lm_head.weight of a tied model) are accepted and skipped.
void load_weights(const std::vector<WeightEntry>& entries, std::map<std::string, torch::Tensor> params,
                  const std::vector<std::string>& ignored);

struct SaveResult {
  std::map<std::string, std::string> weight_map;  // tensor name → file name
  std::vector<std::string> files;
  uint64_t total_bytes = 0;
};

// Writes tensors (converted to `dtype`) as model.safetensors, or as model-0000i-of-0000n shards
// no larger than max_shard_bytes. Each file is written to a temporary name and renamed.
SaveResult save_weights(const std::vector<std::pair<std::string, torch::Tensor>>& tensors, const std::string& dir,
                        torch::ScalarType dtype, uint64_t max_shard_bytes);

}  // namespace roboalign::safetensors
