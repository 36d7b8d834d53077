// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/flow_matching_action_head.py FlowmatchingActionHead
// (process_backbone_output, forward and get_action share `velocity`)
#include "model/gr00t/action_head.h"

namespace roboalign::gr00t {

FlowmatchingActionHeadImpl::FlowmatchingActionHeadImpl(const ActionHeadConfig& c) : config(c) {
  const int64_t E = c.max_num_embodiments, D = c.input_embedding_dim, H = c.hidden_size;
  model = register_module("model", DiT(c));
  state_encoder = register_module("state_encoder", CategorySpecificMLP(E, c.max_state_dim, H, D));
  action_encoder = register_module("action_encoder", MultiEmbodimentActionEncoder(c.action_dim, D, E));
  action_decoder = register_module("action_decoder", CategorySpecificMLP(E, H, H, c.action_dim));
  future_tokens = register_module("future_tokens", torch::nn::Embedding(c.num_target_vision_tokens, D));
  vlln = register_module("vlln", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.backbone_embedding_dim}).eps(1e-5)));
  vl_self_attention = register_module("vl_self_attention", SelfAttentionTransformer(c));
  position_embedding = register_module("position_embedding", torch::nn::Embedding(c.max_seq_len, D));
}

torch::Tensor FlowmatchingActionHeadImpl::process_backbone(const torch::Tensor& features, const RunContext& run) {
  return vl_self_attention(vlln(features), run);
}

torch::Tensor FlowmatchingActionHeadImpl::velocity(const torch::Tensor& context, const torch::Tensor& state_feat,
                                                   const torch::Tensor& x_t, const torch::Tensor& t_disc,
                                                   const torch::Tensor& cat_ids, const RunContext& run, const KVPairs* kv) {
  const int64_t B = x_t.size(0), T = x_t.size(1);
  auto action_feat = action_encoder(x_t, t_disc, cat_ids);  // [B, T, D]
  // Only the action tokens get a position embedding (rows 0..T-1).
  action_feat = action_feat + position_embedding->weight.narrow(0, 0, T).unsqueeze(0);
  auto future = future_tokens->weight.unsqueeze(0).expand({B, -1, -1});
  auto seq = torch::cat({state_feat, future, action_feat}, 1);  // [B, 1 + F + T, D]
  auto out = model(seq, context, t_disc, run, kv);              // [B, 1 + F + T, H]
  // The decoder runs on every token, as the reference does; the last T are the actions.
  auto pred = action_decoder(out, cat_ids);
  return pred.narrow(1, pred.size(1) - T, T);
}

ActionExpertNetImpl::ActionExpertNetImpl(const ActionHeadConfig& c) : config(c) {
  if (c.projects_backbone()) backbone = register_module("backbone", BackboneProjection(c.backbone_feature_dim, c.backbone_embedding_dim));
  action_head = register_module("action_head", FlowmatchingActionHead(c));
}

torch::Tensor ActionExpertNetImpl::context(const torch::Tensor& features, const RunContext& run) {
  auto x = backbone ? backbone->eagle_linear(features) : features;
  return action_head->process_backbone(x, run);
}

}  // namespace roboalign::gr00t
