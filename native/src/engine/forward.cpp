// Full-sequence forward passes over right-padded batches.
#include "engine/forward.h"

#include "engine/multimodal.h"
#include "model/qwen2/attention_mask.h"
#include "runtime/errors.h"

namespace roboalign {

qwen2::ModelOutput run_decoder(TextModel& m, const BatchTensors& t, const TokenBatch& b,
                               const std::vector<int64_t>& hidden_layers, bool need_final) {
  auto mask = qwen2::causal_padding_mask(t.valid, t.ids.size(1));
  auto embeds = input_embeddings(m, t.ids, t.valid, b.pixel_values, b.image_grid_thw);
  return m.net->model->forward(embeds, t.positions, mask, /*cache=*/nullptr, hidden_layers, need_final);
}

ForwardResult forward(TextModel& m, const ForwardRequest& req) {
  check(req.logits == "all" || req.logits == "last" || req.logits == "none", ErrorCode::InvalidArgument,
        "logits must be \"all\", \"last\" or \"none\", got \"" + req.logits + "\"");
  torch::NoGradGuard no_grad;
  auto t = to_tensors(req.batch, m.config().vocab_size, m.device);
  const bool want_logits = req.logits != "none";
  auto out = run_decoder(m, t, req.batch, req.hidden_layers, want_logits);
  ForwardResult r;
  if (req.logits == "all") {
    r.logits = m.net->logits(out.last_hidden).to(torch::kCPU, torch::kFloat32);
  } else if (req.logits == "last") {
    auto last = (t.valid.to(torch::kInt64).sum(1) - 1).clamp_min(0);  // [B] index of each row's last real token
    auto rows = torch::arange(t.ids.size(0), last.options());
    r.logits = m.net->logits(out.last_hidden.index({rows, last})).to(torch::kCPU, torch::kFloat32);
  }
  const int64_t L = m.config().num_hidden_layers;
  for (size_t i = 0; i < out.hidden.size(); ++i) {
    auto h = out.hidden[i];
    // hidden_states[L] is already normed; every other index gets the final norm when asked.
    if (req.norm_hidden && req.hidden_layers[i] != L) h = m.net->model->norm(h);
    r.hidden.push_back(h.to(torch::kCPU, torch::kFloat32).contiguous());
  }
  return r;
}

LogprobsResult logprobs(TextModel& m, const LogprobsRequest& req) {
  check(req.temperature > 0, ErrorCode::InvalidArgument, "temperature must be positive for log-probs");
  torch::NoGradGuard no_grad;
  auto t = to_tensors(req.batch, m.config().vocab_size, m.device);
  auto out = run_decoder(m, t, req.batch, {}, true);
  const int64_t B = t.ids.size(0), T = t.ids.size(1);
  LogprobsResult r;
  r.logprobs = torch::zeros({B, T}, torch::kFloat32);
  if (req.entropy) r.entropy = torch::zeros({B, T}, torch::kFloat32);
  if (T < 2) return r;
  using torch::indexing::Slice;
  // Row by row over the sequence keeps the [T, V] float32 buffer per row, not per batch.
  for (int64_t b = 0; b < B; ++b) {
    auto logits = m.net->logits(out.last_hidden[b].narrow(0, 0, T - 1)).to(torch::kFloat32) / req.temperature;  // [T-1, V]
    auto logp = torch::log_softmax(logits, -1);
    auto target = t.ids[b].narrow(0, 1, T - 1);
    auto lp = logp.gather(1, target.unsqueeze(1)).squeeze(1);
    auto valid = t.valid[b].narrow(0, 1, T - 1);
    r.logprobs[b].narrow(0, 1, T - 1).copy_(lp.masked_fill(valid.logical_not(), 0).to(torch::kCPU));
    if (req.entropy) {
      auto ent = -(logp.exp() * logp).sum(-1);
      r.entropy[b].narrow(0, 1, T - 1).copy_(ent.masked_fill(valid.logical_not(), 0).to(torch::kCPU));
    }
  }
  return r;
}

}  // namespace roboalign
