// Classification of native exceptions into stable error codes with fix hints.
#include "runtime/errors.h"

#include <c10/util/Exception.h>

#include <new>

namespace roboalign {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return "E_INVALID_ARGUMENT";
    case ErrorCode::FileNotFound: return "E_FILE_NOT_FOUND";
    case ErrorCode::Checkpoint: return "E_CHECKPOINT";
    case ErrorCode::Shape: return "E_SHAPE";
    case ErrorCode::TokenRange: return "E_TOKEN_RANGE";
    case ErrorCode::Config: return "E_CONFIG";
    case ErrorCode::OutOfMemory: return "E_OUT_OF_MEMORY";
    case ErrorCode::Device: return "E_DEVICE";
    case ErrorCode::Disposed: return "E_DISPOSED";
    case ErrorCode::Internal: return "E_INTERNAL";
  }
  return "E_INTERNAL";
}

namespace {

// c10 messages carry a C++ backtrace after the first line; the first lines are what users need.
std::string first_lines(const std::string& what, size_t max_lines = 3) {
  size_t pos = 0;
  for (size_t i = 0; i < max_lines; ++i) {
    size_t next = what.find('\n', pos);
    if (next == std::string::npos) return what;
    if (what.compare(next + 1, 9, "Exception") == 0 || what.compare(next + 1, 5, "frame") == 0) {
      return what.substr(0, next);
    }
    pos = next + 1;
  }
  return what.substr(0, pos ? pos - 1 : what.size());
}

}  // namespace

ErrorInfo describe_exception(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const CoreError& e) {
    return {e.code(), e.what()};
  } catch (const c10::OutOfMemoryError& e) {
    return {ErrorCode::OutOfMemory,
            "out of device memory: " + first_lines(e.what_without_backtrace()) +
                ". Fix: lower the batch size or sequence length, use bfloat16, or enable gradient accumulation."};
  } catch (const c10::Error& e) {
    std::string msg = first_lines(e.what_without_backtrace());
    if (msg.find("CUDA") != std::string::npos || msg.find("cuda") != std::string::npos) {
      return {ErrorCode::Device, "libtorch device error: " + msg +
                                     ". Fix: check `roboalign doctor` (is this libtorch built with CUDA, is a GPU visible?)."};
    }
    return {ErrorCode::Internal, "libtorch error: " + msg};
  } catch (const std::bad_alloc&) {
    return {ErrorCode::OutOfMemory, "out of host memory. Fix: use a smaller batch or model, or bfloat16 weights."};
  } catch (const std::exception& e) {
    return {ErrorCode::Internal, e.what()};
  } catch (...) {
    return {ErrorCode::Internal, "unknown native exception"};
  }
}

}  // namespace roboalign
