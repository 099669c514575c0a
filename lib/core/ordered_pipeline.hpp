// A three-step pipeline for streams of frames: one thread produces items in order (e.g. a
// decoder's pipe), `threads` workers transform them in any order, and one consumer receives
// the results in the production order (e.g. an encoder's pipe). At most `capacity` items are
// in flight, so memory stays bounded however long the stream.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace s3d {

// produce(item) fills the next item and returns false at the end (called from the calling
// thread); work(item) -> result runs on the workers; consume(result) is called in order
// from the calling thread. The first exception (from any step) stops the pipeline and is
// rethrown after every thread has stopped.
template <class In, class Out>
void run_ordered_pipeline(const std::function<bool(In&)>& produce, const std::function<Out(In&)>& work,
                          const std::function<void(Out&)>& consume, int threads, int capacity) {
  std::mutex mutex;
  std::condition_variable changed;
  std::map<int64_t, In> todo;    // produced, not yet taken by a worker
  std::map<int64_t, Out> done;   // finished, not yet consumed
  int64_t produced = 0, consumed = 0;
  bool end = false, failed = false;
  std::exception_ptr error;
  const auto fail = [&](std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!error) error = e;
    failed = true;
    changed.notify_all();
  };

  std::vector<std::thread> workers;
  for (int t = 0; t < std::max(threads, 1); ++t)
    workers.emplace_back([&] {
      for (;;) {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return failed || !todo.empty() || end; });
        if (failed || todo.empty()) return;  // failed, or the end with nothing left
        auto node = todo.extract(todo.begin());
        lock.unlock();
        try {
          Out result = work(node.mapped());
          lock.lock();
          done.emplace(node.key(), std::move(result));
          changed.notify_all();
        } catch (...) {
          fail(std::current_exception());
          return;
        }
      }
    });

  try {
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex);
      // Hand the next results on, in order, as they come.
      while (!failed && done.count(consumed)) {
        Out result = std::move(done.at(consumed));
        done.erase(consumed);
        lock.unlock();
        consume(result);
        lock.lock();
        ++consumed;
        changed.notify_all();
      }
      if (failed) break;
      if (end) {
        if (consumed == produced) break;
        changed.wait(lock, [&] { return failed || done.count(consumed); });
        continue;
      }
      if (produced - consumed >= capacity) {
        changed.wait(lock, [&] { return failed || done.count(consumed); });
        continue;
      }
      lock.unlock();
      In item;
      const bool more = produce(item);
      lock.lock();
      if (more)
        todo.emplace(produced++, std::move(item));
      else
        end = true;
      changed.notify_all();
    }
  } catch (...) {
    fail(std::current_exception());
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    end = true;
    changed.notify_all();
  }
  for (auto& w : workers) w.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace s3d
