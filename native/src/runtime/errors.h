// Typed failures of native jobs: a stable code plus a message that says how to fix the problem.
#pragma once
#include <exception>
#include <stdexcept>
#include <string>

namespace roboalign {

enum class ErrorCode {
  InvalidArgument,
  FileNotFound,
  Checkpoint,
  Shape,
  TokenRange,
  Config,
  OutOfMemory,
  Device,
  Disposed,
  Internal,
};

const char* error_code_name(ErrorCode code);

class CoreError : public std::runtime_error {
 public:
  CoreError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

[[noreturn]] inline void fail(ErrorCode code, const std::string& message) { throw CoreError(code, message); }

inline void check(bool ok, ErrorCode code, const std::string& message) {
  if (!ok) fail(code, message);
}

struct ErrorInfo {
  ErrorCode code;
  std::string message;
};

// Maps whatever a job threw (CoreError, c10::Error, std::bad_alloc, std::exception, anything)
// to a code and an actionable message. Never throws.
ErrorInfo describe_exception(std::exception_ptr error);

}  // namespace roboalign
