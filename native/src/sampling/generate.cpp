// Batched KV-cache generation. Prompts are left-padded so every row decodes in lock-step; each
// row carries its own next position (prompt length, or max M-RoPE position + 1 with rope deltas).
#include "sampling/generate.h"

#include <algorithm>
#include <chrono>

#include "compat/torch_compat.h"
#include "engine/multimodal.h"
#include "model/qwen2/attention_mask.h"
#include "model/qwen2/kv_cache.h"
#include "runtime/errors.h"

namespace roboalign::sampling {

using torch::indexing::Slice;

GenerateResult generate(TextModel& m, const GenerateRequest& req) {
  const auto start_time = std::chrono::steady_clock::now();
  torch::NoGradGuard no_grad;
  const auto& cfg = m.config();
  const int64_t n = static_cast<int64_t>(req.prompt_offsets.size()) - 1;
  check(n >= 1, ErrorCode::InvalidArgument, "generate needs at least one prompt (promptOffsets has n + 1 entries)");
  check(req.prompt_offsets.front() == 0 && req.prompt_offsets.back() == static_cast<int32_t>(req.prompt_ids.size()),
        ErrorCode::Shape, "promptOffsets must start at 0 and end at promptIds.length");
  std::vector<int64_t> lens(n), max_new(n);
  for (int64_t i = 0; i < n; ++i) {
    lens[i] = req.prompt_offsets[i + 1] - req.prompt_offsets[i];
    check(lens[i] >= 1, ErrorCode::Shape, "prompt " + std::to_string(i) + " is empty");
    max_new[i] = req.max_new_tokens.size() == 1 ? req.max_new_tokens[0] : req.max_new_tokens.at(i);
    check(max_new[i] >= 0, ErrorCode::InvalidArgument, "maxNewTokens must be >= 0");
  }
  check(req.max_new_tokens.size() == 1 || static_cast<int64_t>(req.max_new_tokens.size()) == n, ErrorCode::Shape,
        "maxNewTokens must be one number or one per prompt");
  check(req.stop_ids.size() <= 1 || static_cast<int64_t>(req.stop_ids.size()) == n, ErrorCode::Shape,
        "stopIds must be one list or one list per prompt");
  const bool explicit_pos = !req.positions.empty();
  check(!explicit_pos || req.positions.size() == 3 * req.prompt_ids.size(), ErrorCode::Shape,
        "positionIds must hold 3 × promptIds.length entries");
  check(req.rope_deltas.empty() || static_cast<int64_t>(req.rope_deltas.size()) == n, ErrorCode::Shape,
        "ropeDeltas must hold one entry per prompt");

  const int64_t P = *std::max_element(lens.begin(), lens.end());
  const int64_t G = *std::max_element(max_new.begin(), max_new.end());
  const int64_t V = cfg.vocab_size;

  // Left-padded prompt ids, validity and positions.
  auto ids = torch::zeros({n, P}, torch::kInt64);
  auto valid = torch::zeros({n, P + G}, torch::kBool);
  auto pos = torch::zeros({3, n, P}, torch::kInt64);
  auto next_pos = torch::zeros({n}, torch::kInt64);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t pad = P - lens[i];
    for (int64_t j = 0; j < lens[i]; ++j) {
      const int64_t tok = req.prompt_ids[req.prompt_offsets[i] + j];
      check(tok >= 0 && tok < V, ErrorCode::TokenRange,
            "token id " + std::to_string(tok) + " in prompt " + std::to_string(i) + " is outside the vocabulary [0, " +
                std::to_string(V) + "). Fix: use the tokenizer of this checkpoint.");
      ids[i][pad + j] = tok;
      for (int a = 0; a < 3; ++a) {
        pos[a][i][pad + j] = explicit_pos ? req.positions[a * req.prompt_ids.size() + req.prompt_offsets[i] + j] : j;
      }
    }
    valid[i].narrow(0, pad, lens[i]).fill_(true);
    const int64_t delta = req.rope_deltas.empty() ? 0 : req.rope_deltas[i];
    next_pos[i] = explicit_pos ? lens[i] + delta : lens[i];
  }

  const auto dev = m.device;
  ids = ids.to(dev);
  valid = valid.to(dev);
  pos = pos.to(dev);
  next_pos = next_pos.to(dev);
  qwen2::KVCache cache(cfg.num_hidden_layers, n, cfg.num_key_value_heads, P + G, cfg.head_dim,
                       torch::TensorOptions().dtype(m.dtype).device(dev));

  auto gen = compat::seeded_generator(dev, req.seed);
  auto stop_table = torch::zeros({n, V}, torch::kBool);  // stop_table[i][tok]: tok ends request i
  for (int64_t i = 0; i < n; ++i) {
    if (req.stop_ids.empty()) break;
    const auto& list = req.stop_ids.size() == 1 ? req.stop_ids[0] : req.stop_ids[i];
    for (int32_t s : list) {
      check(s >= 0 && s < V, ErrorCode::TokenRange, "stop id " + std::to_string(s) + " is outside the vocabulary");
      stop_table[i][s] = true;
    }
  }
  stop_table = stop_table.to(dev);
  for (int64_t b : req.params.banned_ids) {
    check(b >= 0 && b < V, ErrorCode::TokenRange, "banned id " + std::to_string(b) + " is outside the vocabulary");
  }
  auto limits = torch::tensor(max_new, torch::kInt64).to(dev);
  auto rows = torch::arange(n, torch::TensorOptions().dtype(torch::kInt64).device(dev));

  // Prefill.
  auto mask = qwen2::causal_padding_mask(valid.narrow(1, 0, P), P);
  auto embeds = input_embeddings(m, ids, valid.narrow(1, 0, P), req.pixel_values, req.image_grid_thw);
  auto out = m.net->model->forward(embeds, pos, mask, &cache, {}, true);
  auto logits = m.net->logits(out.last_hidden.select(1, P - 1));  // [n, V]

  auto done = limits == 0;
  auto out_ids = torch::full({n, std::max<int64_t>(G, 1)}, -1, torch::TensorOptions().dtype(torch::kInt64).device(dev));
  auto out_lp = torch::zeros({n, std::max<int64_t>(G, 1)}, torch::TensorOptions().dtype(torch::kFloat32).device(dev));
  auto stopped = torch::zeros({n}, torch::TensorOptions().dtype(torch::kBool).device(dev));
  int64_t steps = 0;
  for (int64_t s = 0; s < G; ++s) {
    if (done.all().item<bool>()) break;
    auto choice = choose_next(logits, req.params, gen);
    auto active = done.logical_not();
    out_ids.select(1, s).copy_(torch::where(active, choice.ids, torch::full_like(choice.ids, -1)));
    out_lp.select(1, s).copy_(torch::where(active, choice.logprobs, torch::zeros_like(choice.logprobs)));
    auto hit_stop = active & stop_table.index({rows, choice.ids});
    stopped = stopped | hit_stop;
    done = done | hit_stop | (limits <= s + 1);
    steps = s + 1;
    if (s + 1 == G || done.all().item<bool>()) break;
    // Feed the chosen tokens (finished rows feed a harmless token that nothing attends to later).
    valid.select(1, P + s).copy_(active);
    auto step_pos = next_pos.unsqueeze(0).unsqueeze(-1).expand({3, n, 1}).contiguous();
    auto step_mask = qwen2::causal_padding_mask(valid.narrow(1, 0, P + s + 1), 1);
    auto step_out = m.net->model->forward(m.net->embed(choice.ids.unsqueeze(1)), step_pos, step_mask, &cache, {}, true);
    logits = m.net->logits(step_out.last_hidden.select(1, 0));
    next_pos = next_pos + 1;
  }

  auto ids_cpu_t = out_ids.to(torch::kCPU);
  auto lp_cpu_t = out_lp.to(torch::kCPU);
  auto stopped_cpu_t = stopped.to(torch::kCPU);
  auto ids_cpu = ids_cpu_t.accessor<int64_t, 2>();
  auto lp_cpu = lp_cpu_t.accessor<float, 2>();
  auto stopped_cpu = stopped_cpu_t.accessor<bool, 1>();
  GenerateResult r;
  r.offsets.push_back(0);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t s = 0; s < steps; ++s) {
      const int64_t tok = ids_cpu[i][s];
      if (tok < 0) break;
      r.ids.push_back(static_cast<int32_t>(tok));
      r.logprobs.push_back(lp_cpu[i][s]);
    }
    r.offsets.push_back(static_cast<int32_t>(r.ids.size()));
    r.finish_reasons.push_back(stopped_cpu[i] ? "stop" : "length");
    r.prompt_tokens += lens[i];
  }
  r.generated_tokens = static_cast<int64_t>(r.ids.size());
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  return r;
}

}  // namespace roboalign::sampling
