// Validation and padding of action-head batches (GR00TTransform pads state to S and actions to A,
// and marks the real action dims in action_mask).
#include "model/gr00t/batch.h"

#include <string>

#include "runtime/errors.h"

namespace roboalign::gr00t {

namespace {

std::string s(int64_t v) { return std::to_string(v); }

// Width of a [rows, width] buffer, failing unless `size` is a multiple of `rows`.
int64_t width_of(size_t size, int64_t rows, const char* name, const char* layout) {
  check(rows > 0 && static_cast<int64_t>(size) % rows == 0 && size > 0, ErrorCode::Shape,
        std::string(name) + " has " + s(static_cast<int64_t>(size)) + " values, which is not a positive multiple of " + s(rows) + " (layout " +
            layout + ")");
  return static_cast<int64_t>(size) / rows;
}

}  // namespace

BatchTensors to_tensors(const ActionBatch& b, const ActionHeadConfig& c, const torch::Device& device, torch::ScalarType dtype,
                        bool need_actions) {
  const int64_t B = b.batch, L = b.vl_len, T = c.action_horizon;
  check(B > 0 && L > 0, ErrorCode::InvalidArgument, "batch and vlLen must be positive, got " + s(B) + " and " + s(L));
  const int64_t F = width_of(b.features.size(), B * L, "features", "[batch, vlLen, featureDim]");
  check(F == c.backbone_feature_dim, ErrorCode::Shape,
        "features are " + s(F) + " wide but the action head expects backbone_feature_dim = " + s(c.backbone_feature_dim) +
            ". Fix: set backboneFeatureDim to the backbone's hidden size (a projection to backboneEmbeddingDim is added when they differ).");
  const int64_t S = width_of(b.state.size(), B, "state", "[batch, stateDim]");
  check(S <= c.max_state_dim, ErrorCode::Shape, "state is " + s(S) + " wide but max_state_dim is " + s(c.max_state_dim));
  check(b.embodiment.size() == 1 || static_cast<int64_t>(b.embodiment.size()) == B, ErrorCode::Shape,
        "embodimentId needs one id or one per batch row (" + s(B) + "), got " + s(static_cast<int64_t>(b.embodiment.size())));
  for (int32_t e : b.embodiment) {
    check(e >= 0 && e < c.max_num_embodiments, ErrorCode::InvalidArgument,
          "embodiment id " + s(e) + " is outside [0, " + s(c.max_num_embodiments) + ") (max_num_embodiments)");
  }

  auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
  BatchTensors t;
  t.features = torch::from_blob(const_cast<float*>(b.features.data()), {B, L, F}, f32).to(device, dtype);
  if (c.use_vl_mask && !b.vl_mask.empty()) {
    check(static_cast<int64_t>(b.vl_mask.size()) == B * L, ErrorCode::Shape,
          "attentionMask has " + s(static_cast<int64_t>(b.vl_mask.size())) + " entries but batch × vlLen = " + s(B * L));
    auto m = torch::from_blob(const_cast<uint8_t*>(b.vl_mask.data()), {B, L}, torch::kUInt8).to(torch::kBool);
    // A row without any real token would make the softmax all −inf (NaN).
    check(m.any(1).all().item<bool>(), ErrorCode::InvalidArgument, "attentionMask has a row without any real token");
    t.key_mask = m.view({B, 1, 1, L}).to(device);
  }
  auto state = torch::zeros({B, 1, c.max_state_dim}, f32);
  state.narrow(2, 0, S).copy_(torch::from_blob(const_cast<float*>(b.state.data()), {B, 1, S}, f32));
  t.state = state.to(device, dtype);
  auto ids = torch::from_blob(const_cast<int32_t*>(b.embodiment.data()), {static_cast<int64_t>(b.embodiment.size())}, torch::kInt32)
                 .to(torch::kInt64);
  t.cat_ids = (ids.numel() == 1 ? ids.expand({B}) : ids).contiguous().to(device);

  if (!need_actions) return t;
  check(!b.actions.empty(), ErrorCode::InvalidArgument, "this operation needs the action chunk (actions)");
  const int64_t A = width_of(b.actions.size(), B * T, "actions", "[batch, actionHorizon, actionDim]");
  check(A <= c.action_dim, ErrorCode::Shape, "actions are " + s(A) + " wide but the head's action_dim is " + s(c.action_dim));
  auto actions = torch::zeros({B, T, c.action_dim}, f32);
  actions.narrow(2, 0, A).copy_(torch::from_blob(const_cast<float*>(b.actions.data()), {B, T, A}, f32));
  t.actions = actions.to(device, dtype);
  auto mask = torch::zeros({B, T, c.action_dim}, f32);
  if (b.action_mask.empty()) {
    mask.narrow(2, 0, A).fill_(1.0);
  } else {
    check(static_cast<int64_t>(b.action_mask.size()) == B * T * A, ErrorCode::Shape,
          "actionMask has " + s(static_cast<int64_t>(b.action_mask.size())) + " entries but actions have " + s(B * T * A));
    mask.narrow(2, 0, A).copy_(torch::from_blob(const_cast<uint8_t*>(b.action_mask.data()), {B, T, A}, torch::kUInt8).to(torch::kFloat32));
  }
  check(mask.sum().item<double>() > 0, ErrorCode::InvalidArgument, "actionMask is all zero: nothing to learn from");
  t.action_mask = mask.to(device);
  return t;
}

}  // namespace roboalign::gr00t
