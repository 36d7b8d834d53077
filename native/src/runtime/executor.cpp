// FIFO job thread per device.
#include "runtime/executor.h"

namespace roboalign {

Executor::Executor(std::string name) : name_(std::move(name)), thread_([this] { run(); }) {}

Executor::~Executor() { stop(); }

void Executor::post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void Executor::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Executor::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();  // jobs catch their own exceptions (see addon/job.h)
  }
}

Executor& ExecutorPool::for_device(const std::string& device) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = executors_[device];
  if (!slot) slot = std::make_unique<Executor>(device);
  return *slot;
}

void ExecutorPool::stop_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [name, executor] : executors_) executor->stop();
  executors_.clear();
}

}  // namespace roboalign
