// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/cross_attention_dit.py DiT (interleave_self_attention,
// norm_type ada_norm, no positional embeddings)
#pragma once
#include <torch/torch.h>

#include <utility>
#include <vector>

#include "model/gr00t/config.h"
#include "model/gr00t/run_context.h"
#include "model/gr00t/timestep_encoder.h"
#include "model/gr00t/transformer_block.h"

namespace roboalign::gr00t {

using KVPairs = std::vector<std::pair<torch::Tensor, torch::Tensor>>;

struct DiTImpl : torch::nn::Module {
  explicit DiTImpl(const ActionHeadConfig& c);

  // Block i cross-attends to the VL context when i is even and self-attends when i is odd.
  static bool is_cross(int64_t i) { return i % 2 == 0; }

  // (k, v) of the context for every cross-attention block (empty pairs for the others).
  KVPairs context_kv(const torch::Tensor& context);

  // x: [B, N, D] (state, future and action tokens); context: [B, L, Dvl]; t_disc: [B] int64.
  // kv: from context_kv(context), or null to project the context here. → [B, N, hidden_size].
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context, const torch::Tensor& t_disc,
                        const RunContext& run, const KVPairs* kv = nullptr);

  TimestepEncoder timestep_encoder{nullptr};
  torch::nn::ModuleList transformer_blocks{nullptr};
  std::vector<BasicTransformerBlock> blocks;
  torch::nn::Linear proj_out_1{nullptr}, proj_out_2{nullptr};
  int64_t dim;
};
TORCH_MODULE(DiT);

}  // namespace roboalign::gr00t
