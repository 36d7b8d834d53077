// Validation and device transfer of token batches.
#include "engine/token_batch.h"

#include <string>

#include "runtime/errors.h"

namespace roboalign {

BatchTensors to_tensors(const TokenBatch& b, int64_t vocab_size, const torch::Device& device) {
  const int64_t n = b.batch * b.seq_len;
  check(b.batch > 0 && b.seq_len > 0, ErrorCode::Shape, "batch and seqLen must be positive");
  check(static_cast<int64_t>(b.ids.size()) == n, ErrorCode::Shape,
        "inputIds has " + std::to_string(b.ids.size()) + " entries but batch × seqLen = " + std::to_string(n));
  check(b.mask.empty() || static_cast<int64_t>(b.mask.size()) == n, ErrorCode::Shape,
        "attentionMask has " + std::to_string(b.mask.size()) + " entries, expected " + std::to_string(n));
  check(b.positions.empty() || static_cast<int64_t>(b.positions.size()) == n ||
            static_cast<int64_t>(b.positions.size()) == 3 * n,
        ErrorCode::Shape,
        "positionIds has " + std::to_string(b.positions.size()) + " entries, expected batch × seqLen (" + std::to_string(n) +
            ") or 3 × batch × seqLen (" + std::to_string(3 * n) + ")");
  check(b.labels.empty() || static_cast<int64_t>(b.labels.size()) == n, ErrorCode::Shape,
        "labels has " + std::to_string(b.labels.size()) + " entries, expected " + std::to_string(n));

  auto i32 = torch::TensorOptions().dtype(torch::kInt32);
  auto ids = torch::from_blob(const_cast<int32_t*>(b.ids.data()), {b.batch, b.seq_len}, i32).to(torch::kInt64);
  torch::Tensor valid = b.mask.empty()
                            ? torch::ones({b.batch, b.seq_len}, torch::kBool)
                            : torch::from_blob(const_cast<uint8_t*>(b.mask.data()), {b.batch, b.seq_len}, torch::kUInt8)
                                  .to(torch::kBool);
  // Only real tokens must be in range; padding may hold anything and is replaced by 0.
  auto bad = valid & ((ids < 0) | (ids >= vocab_size));
  if (bad.any().item<bool>()) {
    auto idx = bad.flatten().nonzero()[0].item<int64_t>();
    fail(ErrorCode::TokenRange, "token id " + std::to_string(ids.flatten()[idx].item<int64_t>()) + " at batch row " +
                                    std::to_string(idx / b.seq_len) + ", position " + std::to_string(idx % b.seq_len) +
                                    " is outside the vocabulary [0, " + std::to_string(vocab_size) +
                                    "). Fix: use the tokenizer that belongs to this checkpoint, or resize the embeddings.");
  }
  ids = ids.masked_fill(valid.logical_not(), 0);

  torch::Tensor positions;
  if (b.positions.empty()) {
    positions = (valid.to(torch::kInt64).cumsum(1) - 1).clamp_min(0).unsqueeze(0).expand({3, b.batch, b.seq_len});
  } else if (static_cast<int64_t>(b.positions.size()) == n) {
    positions = torch::from_blob(const_cast<int32_t*>(b.positions.data()), {1, b.batch, b.seq_len}, i32)
                    .to(torch::kInt64)
                    .expand({3, b.batch, b.seq_len});
  } else {
    positions = torch::from_blob(const_cast<int32_t*>(b.positions.data()), {3, b.batch, b.seq_len}, i32).to(torch::kInt64);
  }

  BatchTensors out;
  out.ids = ids.to(device);
  out.valid = valid.to(device);
  out.positions = positions.contiguous().to(device);
  if (!b.labels.empty()) {
    out.labels = torch::from_blob(const_cast<int32_t*>(b.labels.data()), {b.batch, b.seq_len}, i32).to(torch::kInt64);
    auto bad_label = (out.labels != -100) & ((out.labels < 0) | (out.labels >= vocab_size));
    check(!bad_label.any().item<bool>(), ErrorCode::TokenRange,
          "a label is outside the vocabulary [0, " + std::to_string(vocab_size) + ") and is not the ignore index -100");
    out.labels = out.labels.to(device);
  }
  return out;
}

}  // namespace roboalign
