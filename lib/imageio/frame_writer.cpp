#include "imageio/frame_writer.hpp"

#include <algorithm>

#include "imageio/atomic_file.hpp"

namespace s3d {

FrameWriterPool::FrameWriterPool(int threads, size_t capacity, ImageWriteOptions write_options, ProgressFn progress,
                                 int64_t total)
    : write_options_(write_options), progress_(std::move(progress)), total_(total), capacity_(std::max<size_t>(capacity, 1)) {
  for (int i = 0; i < std::max(threads, 1); ++i) workers_.emplace_back(&FrameWriterPool::work, this);
}

FrameWriterPool::~FrameWriterPool() { stop_and_join(); }

void FrameWriterPool::stop_and_join() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
}

void FrameWriterPool::push(fs::path path, cv::Mat image) { enqueue({std::move(path), std::move(image), {}}); }

void FrameWriterPool::push_encoded(fs::path path, std::string bytes) {
  enqueue({std::move(path), cv::Mat(), std::move(bytes)});
}

void FrameWriterPool::enqueue(Item item) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return queue_.size() < capacity_ || error_; });
  if (error_) std::rethrow_exception(error_);
  queue_.push_back(std::move(item));
  changed_.notify_all();
}

void FrameWriterPool::finish() {
  stop_and_join();
  if (error_) std::rethrow_exception(error_);
}

int64_t FrameWriterPool::written() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return written_;
}

void FrameWriterPool::work() {
  for (;;) {
    Item item;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return !queue_.empty() || closing_ || error_; });
      if (error_ || queue_.empty()) return;  // failed, or closing with nothing left
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();
    try {
      if (item.image.empty())
        write_file_atomic(item.path, item.bytes);
      else
        write_image_atomic(item.path, item.image, write_options_);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      changed_.notify_all();
      return;
    }
    int64_t done;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done = ++written_;
    }
    if (progress_) progress_(done, total_);
  }
}

}  // namespace s3d
