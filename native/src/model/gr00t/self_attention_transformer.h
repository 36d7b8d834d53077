// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/cross_attention_dit.py SelfAttentionTransformer
// (the VL adapter: pre-LN blocks with affine LayerNorms, self-attention only, no positions)
#pragma once
#include <torch/torch.h>

#include <vector>

#include "model/gr00t/config.h"
#include "model/gr00t/run_context.h"
#include "model/gr00t/transformer_block.h"

namespace roboalign::gr00t {

struct SelfAttentionTransformerImpl : torch::nn::Module {
  explicit SelfAttentionTransformerImpl(const ActionHeadConfig& c) {
    transformer_blocks = register_module("transformer_blocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.vl_num_layers; ++i) {
      BlockOptions o;
      o.dim = c.backbone_embedding_dim;
      o.heads = c.vl_num_heads;
      o.head_dim = c.vl_head_dim;
      o.kv_dim = o.dim;
      o.dropout = c.dropout;
      blocks.emplace_back(o);
      transformer_blocks->push_back(blocks.back());
    }
  }
  // x: [B, L, Dvl] → [B, L, Dvl]; the run's VL key mask applies when present.
  torch::Tensor forward(torch::Tensor x, const RunContext& run) {
    x = x.contiguous();
    for (auto& b : blocks) x = b->forward(x, torch::Tensor(), run.vl_key_mask, torch::Tensor(), run);
    return x;
  }
  torch::nn::ModuleList transformer_blocks{nullptr};
  std::vector<BasicTransformerBlock> blocks;
};
TORCH_MODULE(SelfAttentionTransformer);

}  // namespace roboalign::gr00t
