// One FIFO job thread per device: all work of a device runs here, off the JS thread and off
// libuv's small pool, so a model's state is only ever touched by one thread.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace roboalign {

class Executor {
 public:
  explicit Executor(std::string name);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  void post(std::function<void()> job);
  // Finishes the queued jobs, then joins the thread.
  void stop();
  const std::string& name() const { return name_; }

 private:
  void run();

  std::string name_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

// Executors by device name ("cpu", "cuda:0"), created on first use.
class ExecutorPool {
 public:
  Executor& for_device(const std::string& device);
  void stop_all();

 private:
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Executor>> executors_;
};

}  // namespace roboalign
