// Frame-level parallelism shared by the stages.
#pragma once
#include <cstdint>
#include <functional>

namespace s3d {

// `requested` threads, or every core when it is 0 (or less).
int resolve_threads(int requested);

// Runs work(i) for i in [0, count) on `threads` worker threads, each taking the next
// unclaimed item, so decoding, computing and encoding of different frames overlap.
// After each item `on_done(items finished so far)` is called (serialized). The first
// exception stops the hand-out of new items and is rethrown once all workers stopped.
void parallel_for(int64_t count, int threads, const std::function<void(int64_t)>& work,
                  const std::function<void(int64_t)>& on_done = {});

}  // namespace s3d
