// Batched autoregressive generation with a KV cache (prompts of different lengths, left-padded).
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "engine/text_model.h"
#include "sampling/logits_processors.h"

namespace roboalign::sampling {

struct GenerateRequest {
  std::vector<int32_t> prompt_ids;      // concatenated
  std::vector<int32_t> prompt_offsets;  // n + 1 entries
  std::vector<int32_t> max_new_tokens;  // one per request (or a single value for all)
  SamplingParams params;
  std::vector<std::vector<int32_t>> stop_ids;  // one list per request (or a single list for all)
  uint64_t seed = 0;
  std::vector<int32_t> positions;    // optional [3 * total prompt tokens] M-RoPE positions
  std::vector<int32_t> rope_deltas;  // optional, per request
  std::vector<float> pixel_values;    // images of all prompts, in order (their pads are in prompt_ids)
  std::vector<int32_t> image_grid_thw;
};

struct GenerateResult {
  std::vector<int32_t> ids;
  std::vector<int32_t> offsets;
  std::vector<float> logprobs;
  std::vector<std::string> finish_reasons;
  int64_t prompt_tokens = 0, generated_tokens = 0;
  double seconds = 0;
};

GenerateResult generate(TextModel& m, const GenerateRequest& req);

}  // namespace roboalign::sampling
