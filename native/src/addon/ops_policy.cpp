// policyStep (the GRPO update) and policyLoss (the loss alone on given log-probs, in float64).
#include <cstring>

#include "addon/addon_state.h"
#include "addon/convert.h"
#include "addon/job.h"
#include "addon/ops.h"
#include "train/policy_loss.h"
#include "train/policy_step.h"

namespace roboalign::addon {

namespace {

train::PolicyLossConfig loss_config(const Napi::Object& o) {
  train::PolicyLossConfig c;
  c.clip_ratio_low = number(o, "clipRatioLow");
  c.clip_ratio_high = number(o, "clipRatioHigh");
  c.clip_ratio_dual = number(o, "clipRatioDual");
  c.kl_coef = number(o, "klCoef");
  c.kl_penalty = train::parse_kl_penalty(string(o, "klPenalty"));
  auto use_kl = o.Get("useKlLoss");
  if (!use_kl.IsBoolean()) fail(ErrorCode::InvalidArgument, "Expected a boolean for useKlLoss");
  c.use_kl_loss = use_kl.As<Napi::Boolean>().Value();
  c.loss_avg_mode = train::parse_loss_avg_mode(string(o, "lossAvgMode"));
  c.temperature = number_or(o, "temperature", 1.0);
  train::validate(c);
  return c;
}

bool present(const Napi::Value& v) { return !v.IsUndefined() && !v.IsNull(); }

std::vector<train::PolicyBatch> policy_batches(const Napi::Value& v) {
  if (!v.IsArray()) fail(ErrorCode::InvalidArgument, "Expected an array of micro-batches for microBatches");
  auto a = v.As<Napi::Array>();
  std::vector<train::PolicyBatch> out;
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value b = a.Get(i);
    if (!b.IsObject()) fail(ErrorCode::InvalidArgument, "Expected an object for microBatches[" + std::to_string(i) + "]");
    auto o = b.As<Napi::Object>();
    train::PolicyBatch p;
    p.tokens = token_batch(o, /*with_labels=*/false);
    p.response_mask = uint8_array(o.Get("responseMask"), "responseMask");
    p.advantages = float32_vector(o.Get("advantages"), "advantages");
    p.old_logprobs = float32_vector(o.Get("oldLogprobs"), "oldLogprobs");
    if (present(o.Get("refLogprobs"))) p.ref_logprobs = float32_vector(o.Get("refLogprobs"), "refLogprobs");
    out.push_back(std::move(p));
  }
  return out;
}

// Float32Array or Float64Array → float64 values (copied).
std::vector<double> float_values(const Napi::Value& v, const char* name) {
  if (v.IsTypedArray()) {
    auto t = v.As<Napi::TypedArray>();
    if (t.TypedArrayType() == napi_float64_array) {
      auto a = v.As<Napi::Float64Array>();
      return std::vector<double>(a.Data(), a.Data() + a.ElementLength());
    }
    if (t.TypedArrayType() == napi_float32_array) {
      auto a = v.As<Napi::Float32Array>();
      return std::vector<double>(a.Data(), a.Data() + a.ElementLength());
    }
  }
  fail(ErrorCode::InvalidArgument, std::string("Expected a Float32Array or Float64Array for ") + name);
}

Napi::Value policy_step_op(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "policyStep", [&]() -> Napi::Value {
    auto& slot = AddonState::of(env).slot(handle_arg(info, 0));
    auto o = object_arg(info, 1, "options");
    auto batches = policy_batches(o.Get("microBatches"));
    const double lr = number(o, "lr");
    auto config = loss_config(object_field(o, "loss"));
    auto m = slot.model;
    return Job<train::PolicyStepResult>::submit(
        env, AddonState::of(env).executors.for_device(slot.executor_key), "policyStep",
        [m, batches, lr, config] { return train::policy_step(*m, batches, lr, config); },
        [](Napi::Env env, train::PolicyStepResult& r) -> Napi::Value {
          auto o = Napi::Object::New(env);
          o.Set("loss", r.loss);
          o.Set("pgLoss", r.pg_loss);
          o.Set("klLoss", r.kl_loss);
          o.Set("ppoKl", r.ppo_kl);
          o.Set("entropyLoss", r.entropy_loss);
          o.Set("clipfracHigher", r.clipfrac_higher);
          o.Set("clipfracLower", r.clipfrac_lower);
          o.Set("gradNorm", r.grad_norm);
          o.Set("tokens", Napi::Number::New(env, static_cast<double>(r.tokens)));
          o.Set("applied", Napi::Boolean::New(env, r.applied));
          return o;
        });
  });
}

struct LossCheckInput {
  int64_t batch = 0, seq_len = 0;
  std::vector<double> logprobs, old_logprobs, ref_logprobs, advantages;
  std::vector<uint8_t> mask;
  double token_normalizer = 0;
  train::PolicyLossConfig config;
};

struct LossCheckResult {
  double loss, pg_loss, kl_loss, ppo_kl, entropy_loss, clipfrac_higher, clipfrac_lower;
  torch::Tensor grad;  // float64 CPU [B, T]
};

LossCheckResult run_loss_check(const LossCheckInput& in) {
  const int64_t n = in.batch * in.seq_len;
  check(in.batch > 0 && in.seq_len > 0, ErrorCode::Shape, "batch and seqLen must be positive");
  auto sized = [&](size_t got, const char* name) {
    check(static_cast<int64_t>(got) == n, ErrorCode::Shape,
          std::string(name) + " has " + std::to_string(got) + " entries but batch × seqLen = " + std::to_string(n));
  };
  sized(in.logprobs.size(), "logprobs");
  sized(in.old_logprobs.size(), "oldLogprobs");
  sized(in.advantages.size(), "advantages");
  sized(in.mask.size(), "mask");
  if (!in.ref_logprobs.empty()) sized(in.ref_logprobs.size(), "refLogprobs");
  auto f64 = [&](const std::vector<double>& v) {
    return torch::from_blob(const_cast<double*>(v.data()), {in.batch, in.seq_len}, torch::kFloat64).clone();
  };
  train::PolicyLossInputs t;
  t.logprobs = f64(in.logprobs).requires_grad_(true);
  t.old_logprobs = f64(in.old_logprobs);
  t.advantages = f64(in.advantages);
  if (!in.ref_logprobs.empty()) t.ref_logprobs = f64(in.ref_logprobs);
  t.mask = torch::from_blob(const_cast<uint8_t*>(in.mask.data()), {in.batch, in.seq_len}, torch::kUInt8).to(torch::kFloat64);
  auto terms = train::policy_loss(t, in.config, in.token_normalizer);
  terms.loss.backward();
  return {terms.loss.item<double>(),         terms.pg_loss.item<double>(),         terms.kl_loss.item<double>(),
          terms.ppo_kl.item<double>(),       terms.entropy_loss.item<double>(),    terms.clipfrac_higher.item<double>(),
          terms.clipfrac_lower.item<double>(), t.logprobs.grad().contiguous()};
}

Napi::Value policy_loss_op(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  return guarded(env, "policyLoss", [&]() -> Napi::Value {
    auto i = object_arg(info, 0, "inputs");
    auto o = object_arg(info, 1, "options");
    LossCheckInput in;
    in.batch = integer(i, "batch");
    in.seq_len = integer(i, "seqLen");
    in.logprobs = float_values(i.Get("logprobs"), "logprobs");
    in.old_logprobs = float_values(i.Get("oldLogprobs"), "oldLogprobs");
    in.advantages = float_values(i.Get("advantages"), "advantages");
    if (present(i.Get("refLogprobs"))) in.ref_logprobs = float_values(i.Get("refLogprobs"), "refLogprobs");
    in.mask = uint8_array(i.Get("mask"), "mask");
    in.config = loss_config(o);
    in.token_normalizer = number_or(o, "tokenNormalizer", 0.0);
    if (present(o.Get("tokenNormalizer")) && !(in.token_normalizer > 0)) {
      fail(ErrorCode::InvalidArgument, "tokenNormalizer must be positive (the response-token count of the whole step)");
    }
    return Job<LossCheckResult>::submit(
        env, AddonState::of(env).executors.for_device("cpu"), "policyLoss", [in] { return run_loss_check(in); },
        [](Napi::Env env, LossCheckResult& r) -> Napi::Value {
          auto o = Napi::Object::New(env);
          o.Set("loss", r.loss);
          o.Set("pgLoss", r.pg_loss);
          o.Set("klLoss", r.kl_loss);
          o.Set("ppoKl", r.ppo_kl);
          o.Set("entropyLoss", r.entropy_loss);
          o.Set("clipfracHigher", r.clipfrac_higher);
          o.Set("clipfracLower", r.clipfrac_lower);
          auto grad = Napi::Float64Array::New(env, static_cast<size_t>(r.grad.numel()));
          if (r.grad.numel()) std::memcpy(grad.Data(), r.grad.data_ptr<double>(), static_cast<size_t>(r.grad.numel()) * sizeof(double));
          o.Set("gradLogprobs", grad);
          return o;
        });
  });
}

}  // namespace

void register_policy_ops(Napi::Env env, Napi::Object exports) {
  exports.Set("policyStep", Napi::Function::New(env, policy_step_op, "policyStep"));
  exports.Set("policyLoss", Napi::Function::New(env, policy_loss_op, "policyLoss"));
}

}  // namespace roboalign::addon
