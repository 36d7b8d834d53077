// ref: diffusers models/attention.py FeedForward(activation_fn="gelu-approximate", final_dropout=True)
#pragma once
#include <torch/torch.h>

#include "model/gr00t/run_context.h"

namespace roboalign::gr00t {

// diffusers GELU: a Linear followed by tanh-approximated GELU, under the key `proj`.
struct GeluProjImpl : torch::nn::Module {
  GeluProjImpl(int64_t in, int64_t out) { proj = register_module("proj", torch::nn::Linear(in, out)); }
  torch::Tensor forward(const torch::Tensor& x) { return torch::gelu(proj(x), "tanh"); }
  torch::nn::Linear proj{nullptr};
};
TORCH_MODULE(GeluProj);

// net.0 = GELU(proj), net.1 = Dropout, net.2 = Linear, net.3 = Dropout: [.., dim] → [.., dim].
struct FeedForwardImpl : torch::nn::Module {
  FeedForwardImpl(int64_t dim, int64_t inner, double dropout) : p(dropout) {
    act = GeluProj(dim, inner);
    out = torch::nn::Linear(inner, dim);
    net = register_module("net", torch::nn::ModuleList());
    net->push_back(act);
    net->push_back(torch::nn::Dropout(dropout));  // dropouts are applied in forward with the run's generator
    net->push_back(out);
    net->push_back(torch::nn::Dropout(dropout));
  }
  torch::Tensor forward(const torch::Tensor& x, const RunContext& run) {
    return dropout(out(dropout(act(x), p, run)), p, run);
  }
  torch::nn::ModuleList net{nullptr};
  GeluProj act{nullptr};
  torch::nn::Linear out{nullptr};
  double p;
};
TORCH_MODULE(FeedForward);

}  // namespace roboalign::gr00t
