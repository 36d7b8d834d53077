// Full-sequence forward passes: logits, hidden states of chosen layers, per-token log-probs.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "engine/text_model.h"
#include "engine/token_batch.h"

namespace roboalign {

struct ForwardRequest {
  TokenBatch batch;
  std::vector<int64_t> hidden_layers;
  std::string logits = "all";  // "all" | "last" | "none"
  // Apply the final RMSNorm to each requested hidden state (GR00T's truncated-backbone features:
  // hidden_states[L] of an LLM cut after layer L is norm(output of layer L)).
  bool norm_hidden = false;
};

struct ForwardResult {
  torch::Tensor logits;               // float32 CPU [B, T, V] or [B, V], or undefined
  std::vector<torch::Tensor> hidden;  // float32 CPU [B, T, H] each
};

ForwardResult forward(TextModel& m, const ForwardRequest& req);

struct LogprobsRequest {
  TokenBatch batch;
  double temperature = 1.0;
  bool entropy = false;
};

struct LogprobsResult {
  torch::Tensor logprobs;  // float32 CPU [B, T]
  torch::Tensor entropy;   // float32 CPU [B, T] or undefined
};

LogprobsResult logprobs(TextModel& m, const LogprobsRequest& req);

// Shared by forward, logprobs and training: the decoder over a validated batch.
// `b` supplies the images (if any) whose embeddings fill the image-token positions.
qwen2::ModelOutput run_decoder(TextModel& m, const BatchTensors& t, const TokenBatch& b,
                               const std::vector<int64_t>& hidden_layers, bool need_final);

}  // namespace roboalign
