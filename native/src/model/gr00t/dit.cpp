// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/cross_attention_dit.py DiT.forward
#include "model/gr00t/dit.h"

namespace roboalign::gr00t {

DiTImpl::DiTImpl(const ActionHeadConfig& c) : dim(c.input_embedding_dim) {
  timestep_encoder = register_module("timestep_encoder", TimestepEncoder(dim));
  transformer_blocks = register_module("transformer_blocks", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.dit_num_layers; ++i) {
    BlockOptions o;
    o.dim = dim;
    o.heads = c.dit_num_heads;
    o.head_dim = c.dit_head_dim;
    o.kv_dim = is_cross(i) ? c.backbone_embedding_dim : dim;  // cross blocks read the VL width
    o.dropout = c.dropout;
    o.ada_norm = true;
    blocks.emplace_back(o);
    transformer_blocks->push_back(blocks.back());
  }
  proj_out_1 = register_module("proj_out_1", torch::nn::Linear(dim, 2 * dim));
  proj_out_2 = register_module("proj_out_2", torch::nn::Linear(dim, c.hidden_size));
}

KVPairs DiTImpl::context_kv(const torch::Tensor& context) {
  KVPairs kv(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (is_cross(static_cast<int64_t>(i))) kv[i] = blocks[i]->attn1->project_kv(context);
  }
  return kv;
}

torch::Tensor DiTImpl::forward(const torch::Tensor& x, const torch::Tensor& context, const torch::Tensor& t_disc,
                               const RunContext& run, const KVPairs* kv) {
  auto temb = timestep_encoder(t_disc);  // [B, D]
  auto h = x.contiguous();
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (is_cross(static_cast<int64_t>(i))) {
      h = blocks[i]->forward(h, context, run.vl_key_mask, temb, run, kv ? &(*kv)[i] : nullptr);
    } else {
      h = blocks[i]->forward(h, torch::Tensor(), torch::Tensor(), temb, run);
    }
  }
  // Output AdaLN: (shift, scale) — the reverse of the blocks' order — over a no-affine LN, eps 1e-6.
  auto chunks = proj_out_1(torch::silu(temb)).chunk(2, 1);
  auto shift = chunks[0].unsqueeze(1), scale = chunks[1].unsqueeze(1);
  h = torch::layer_norm(h, {dim}, {}, {}, 1e-6) * (1 + scale) + shift;
  return proj_out_2(h);
}

}  // namespace roboalign::gr00t
