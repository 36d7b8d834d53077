// ref: Isaac-GR00T@4af2b62 gr00t/model/action_head/flow_matching_action_head.py CategorySpecificLinear / CategorySpecificMLP
#pragma once
#include <torch/torch.h>

namespace roboalign::gr00t {

// One (in → out) affine map per embodiment. W is stored (E, in, out) and applied as x @ W — not
// Linear's x @ Wᵀ — so checkpoints load unchanged.
struct CategorySpecificLinearImpl : torch::nn::Module {
  CategorySpecificLinearImpl(int64_t num_categories, int64_t in, int64_t out) {
    W = register_parameter("W", torch::zeros({num_categories, in, out}));
    b = register_parameter("b", torch::zeros({num_categories, out}));
  }
  // x: [B, T, in]; cat_ids: [B] int64 → [B, T, out]. index_select's backward scatters into the
  // selected slots only.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cat_ids) {
    return torch::bmm(x, W.index_select(0, cat_ids)) + b.index_select(0, cat_ids).unsqueeze(1);
  }
  torch::Tensor W, b;
};
TORCH_MODULE(CategorySpecificLinear);

// layer2(relu(layer1(x))), per embodiment.
struct CategorySpecificMLPImpl : torch::nn::Module {
  CategorySpecificMLPImpl(int64_t num_categories, int64_t in, int64_t hidden, int64_t out) {
    layer1 = register_module("layer1", CategorySpecificLinear(num_categories, in, hidden));
    layer2 = register_module("layer2", CategorySpecificLinear(num_categories, hidden, out));
  }
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cat_ids) {
    return layer2(torch::relu(layer1(x, cat_ids)), cat_ids);
  }
  CategorySpecificLinear layer1{nullptr}, layer2{nullptr};
};
TORCH_MODULE(CategorySpecificMLP);

}  // namespace roboalign::gr00t
