// Runs a job on a device executor and settles a JS Promise with its result: the work lambda
// runs on the executor thread and makes no N-API calls; the conversion to JS runs on the main
// thread through a thread-safe function that exists only while the job is pending (so an idle
// addon never keeps the event loop alive). Every exception becomes a rejected NativeCoreError.
#pragma once
#include <napi.h>

#include <exception>
#include <functional>
#include <optional>
#include <string>

#include "runtime/errors.h"
#include "runtime/executor.h"

namespace roboalign::addon {

// An Error carrying {code, op} that the TypeScript side turns into a NativeCoreError.
inline Napi::Error make_error(Napi::Env env, const std::string& op, ErrorCode code, const std::string& message) {
  auto err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, error_code_name(code)));
  err.Set("op", Napi::String::New(env, op));
  err.Set("native", Napi::Boolean::New(env, true));
  return err;
}

inline Napi::Promise rejected(Napi::Env env, const std::string& op, const ErrorInfo& info) {
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(make_error(env, op, info.code, info.message).Value());
  return deferred.Promise();
}

template <typename R>
class Job {
 public:
  using Work = std::function<R()>;
  using ToJs = std::function<Napi::Value(Napi::Env, R&)>;

  static Napi::Promise submit(Napi::Env env, Executor& executor, std::string op, Work work, ToJs to_js) {
    auto* job = new Job(env, std::move(op), std::move(work), std::move(to_js));
    napi_value name;
    napi_create_string_utf8(env, job->op_.c_str(), NAPI_AUTO_LENGTH, &name);
    napi_status status = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, job,
                                                         &Job::settle, &job->tsfn_);
    auto promise = job->deferred_.Promise();
    if (status != napi_ok) {
      job->deferred_.Reject(make_error(env, job->op_, ErrorCode::Internal, "cannot create a thread-safe function").Value());
      delete job;
      return promise;
    }
    executor.post([job] { job->run(); });
    return promise;
  }

 private:
  Job(Napi::Env env, std::string op, Work work, ToJs to_js)
      : deferred_(Napi::Promise::Deferred::New(env)), op_(std::move(op)), work_(std::move(work)), to_js_(std::move(to_js)) {}

  void run() {
    try {
      result_.emplace(work_());
    } catch (...) {
      error_ = describe_exception(std::current_exception());
    }
    work_ = nullptr;  // release captured state (e.g. model references) on the executor thread
    napi_threadsafe_function tsfn = tsfn_;
    if (napi_call_threadsafe_function(tsfn, this, napi_tsfn_blocking) != napi_ok) delete this;  // env is gone
    napi_release_threadsafe_function(tsfn, napi_tsfn_release);
  }

  static void settle(napi_env raw_env, napi_value, void*, void* data) {
    auto* job = static_cast<Job*>(data);
    if (raw_env == nullptr) {  // environment tearing down: nothing to settle
      delete job;
      return;
    }
    Napi::Env env(raw_env);
    Napi::HandleScope scope(env);
    if (job->error_) {
      job->deferred_.Reject(make_error(env, job->op_, job->error_->code, job->error_->message).Value());
    } else {
      try {
        job->deferred_.Resolve(job->to_js_(env, *job->result_));
      } catch (const Napi::Error& e) {
        job->deferred_.Reject(make_error(env, job->op_, ErrorCode::Internal, e.Message()).Value());
      } catch (...) {
        auto info = describe_exception(std::current_exception());
        job->deferred_.Reject(make_error(env, job->op_, info.code, info.message).Value());
      }
    }
    delete job;
  }

  Napi::Promise::Deferred deferred_;
  std::string op_;
  Work work_;
  ToJs to_js_;
  std::optional<R> result_;
  std::optional<ErrorInfo> error_;
  napi_threadsafe_function tsfn_ = nullptr;
};

// Validates and copies arguments on the main thread, then queues the job; argument errors reject
// the returned Promise instead of throwing synchronously.
template <typename Prepare>
Napi::Value guarded(Napi::Env env, const std::string& op, Prepare prepare) {
  try {
    return prepare();
  } catch (const Napi::Error& e) {
    return rejected(env, op, {ErrorCode::InvalidArgument, e.Message()});
  } catch (...) {
    return rejected(env, op, describe_exception(std::current_exception()));
  }
}

}  // namespace roboalign::addon
