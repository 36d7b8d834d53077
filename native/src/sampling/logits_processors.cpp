// Temperature, top-k, top-p and sampling.
#include "sampling/logits_processors.h"

#include <limits>

namespace roboalign::sampling {

Choice choose_next(const torch::Tensor& logits, const SamplingParams& p, at::Generator& gen) {
  auto scaled = logits.to(torch::kFloat32);
  if (p.temperature > 0) scaled = scaled / p.temperature;
  auto logp = torch::log_softmax(scaled, -1);
  Choice c;
  auto choosable = scaled;
  if (!p.banned_ids.empty()) {
    auto banned = torch::tensor(p.banned_ids, torch::TensorOptions().dtype(torch::kLong).device(scaled.device()));
    choosable = scaled.index_fill(-1, banned, -std::numeric_limits<float>::infinity());
  }
  if (p.temperature <= 0) {
    c.ids = choosable.argmax(-1);
  } else {
    const float neg_inf = -std::numeric_limits<float>::infinity();
    auto filtered = choosable;
    const int64_t V = scaled.size(-1);
    if (p.top_k > 0 && p.top_k < V) {
      auto kth = std::get<0>(filtered.topk(p.top_k, -1)).select(-1, p.top_k - 1).unsqueeze(-1);
      filtered = filtered.masked_fill(filtered < kth, neg_inf);
    }
    if (p.top_p < 1.0) {
      auto [sorted, order] = filtered.sort(-1, /*descending=*/true);
      auto probs = sorted.softmax(-1);
      // Drop a token when the tokens before it already cover top_p; the first always stays.
      auto remove_sorted = (probs.cumsum(-1) - probs) > p.top_p;
      auto remove = torch::zeros_like(remove_sorted).scatter(-1, order, remove_sorted);
      filtered = filtered.masked_fill(remove, neg_inf);
    }
    // argmax(p / E) with E ~ Exp(1) samples from p (the exponential race), on any device.
    auto probs = filtered.softmax(-1);
    auto race = torch::empty_like(probs).exponential_(1.0, gen);
    c.ids = (probs / race).argmax(-1);
  }
  c.logprobs = logp.gather(-1, c.ids.unsqueeze(-1)).squeeze(-1);
  return c;
}

}  // namespace roboalign::sampling
