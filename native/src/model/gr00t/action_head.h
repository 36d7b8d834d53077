// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/flow_matching_action_head.py FlowmatchingActionHead
// (N1.5: use_vlln, add_pos_embed, future tokens restored by 46b5585), plus the backbone's optional
// `eagle_linear` projection (gr00t/model/backbone/eagle_backbone.py, project_to_dim), under the
// GR00T checkpoint keys `action_head.*` and `backbone.eagle_linear.*`.
#pragma once
#include <torch/torch.h>

#include "model/gr00t/action_encoder.h"
#include "model/gr00t/category_specific.h"
#include "model/gr00t/config.h"
#include "model/gr00t/dit.h"
#include "model/gr00t/run_context.h"
#include "model/gr00t/self_attention_transformer.h"

namespace roboalign::gr00t {

struct FlowmatchingActionHeadImpl : torch::nn::Module {
  explicit FlowmatchingActionHeadImpl(const ActionHeadConfig& c);

  // vlln then the self-attention adapter: [B, L, Dvl] → the VL context C [B, L, Dvl].
  torch::Tensor process_backbone(const torch::Tensor& features, const RunContext& run);
  // state: [B, 1, S] → [B, 1, D].
  torch::Tensor encode_state(const torch::Tensor& state, const torch::Tensor& cat_ids) { return state_encoder(state, cat_ids); }
  // Predicted velocity [B, T, A] of the noisy actions x_t [B, T, A] at t_disc [B], given the VL
  // context and the state feature. kv: precomputed cross-attention keys/values, or null.
  torch::Tensor velocity(const torch::Tensor& context, const torch::Tensor& state_feat, const torch::Tensor& x_t,
                         const torch::Tensor& t_disc, const torch::Tensor& cat_ids, const RunContext& run,
                         const KVPairs* kv = nullptr);

  ActionHeadConfig config;
  DiT model{nullptr};
  CategorySpecificMLP state_encoder{nullptr};
  MultiEmbodimentActionEncoder action_encoder{nullptr};
  CategorySpecificMLP action_decoder{nullptr};
  torch::nn::Embedding future_tokens{nullptr};
  torch::nn::LayerNorm vlln{nullptr};
  SelfAttentionTransformer vl_self_attention{nullptr};
  torch::nn::Embedding position_embedding{nullptr};
};
TORCH_MODULE(FlowmatchingActionHead);

// GR00T's backbone module seen from the head: only its trainable projection.
struct BackboneProjectionImpl : torch::nn::Module {
  BackboneProjectionImpl(int64_t in, int64_t out) { eagle_linear = register_module("eagle_linear", torch::nn::Linear(in, out)); }
  torch::nn::Linear eagle_linear{nullptr};
};
TORCH_MODULE(BackboneProjection);

// The whole trainable expert: [backbone.eagle_linear] → action_head.
struct ActionExpertNetImpl : torch::nn::Module {
  explicit ActionExpertNetImpl(const ActionHeadConfig& c);
  // Backbone features [B, L, backbone_feature_dim] → VL context [B, L, Dvl].
  torch::Tensor context(const torch::Tensor& features, const RunContext& run);

  ActionHeadConfig config;
  BackboneProjection backbone{nullptr};  // present when backbone_feature_dim != backbone_embedding_dim
  FlowmatchingActionHead action_head{nullptr};
};
TORCH_MODULE(ActionExpertNet);

}  // namespace roboalign::gr00t
