// One long-lived background thread that runs one task at a time while the caller goes on:
// the depth stage writes a batch's files while it estimates the next. A thread made per
// task (std::async) would also start each task with cold thread-local buffers (encoders,
// scratch memory), which is what made writing a frame's depth cost as much as making it.
#pragma once
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace s3d {

class BackgroundTask {
 public:
  BackgroundTask() : thread_([this] { loop(); }) {}
  // Waits for the task in flight (its error, if any, is dropped: call wait() to see it).
  ~BackgroundTask() {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      idle_.wait(lock, [&] { return !task_; });
      stop_ = true;
    }
    ready_.notify_one();
    thread_.join();
  }
  BackgroundTask(const BackgroundTask&) = delete;
  BackgroundTask& operator=(const BackgroundTask&) = delete;

  // Waits for the previous task (rethrowing its error), then starts `task`.
  void start(std::function<void()> task) {
    wait();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = std::move(task);
    }
    ready_.notify_one();
  }

  // Waits until no task runs; rethrows the error of the last one, once.
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [&] { return !task_; });
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ready_.wait(lock, [&] { return stop_ || task_; });
      if (!task_) return;  // stopped
      lock.unlock();
      std::exception_ptr error;
      try {
        task_();
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      task_ = nullptr;
      error_ = error;
      idle_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_, idle_;
  std::function<void()> task_;
  std::exception_ptr error_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace s3d
