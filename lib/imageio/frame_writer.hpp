// Writes frames to image files on worker threads while the producer keeps going (e.g. a
// decoder): a bounded queue between the one producing thread and N writers (which
// encode images, or store files ffmpeg already encoded).
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <opencv2/core.hpp>
#include <thread>
#include <vector>

#include "imageio/image_file.hpp"
#include "core/progress.hpp"

namespace s3d {

namespace fs = std::filesystem;

class FrameWriterPool {
 public:
  // `threads` encoders; at most `capacity` frames wait in memory; `progress(done, total)`
  // after each written frame.
  FrameWriterPool(int threads, size_t capacity, ImageWriteOptions write_options, ProgressFn progress, int64_t total);
  ~FrameWriterPool();  // stops and joins (errors are dropped: call finish() to see them)
  FrameWriterPool(const FrameWriterPool&) = delete;
  FrameWriterPool& operator=(const FrameWriterPool&) = delete;

  // Queues one frame (blocks while the queue is full). Rethrows a writer's error.
  void push(fs::path path, cv::Mat image);
  // Queues an already encoded image file's bytes.
  void push_encoded(fs::path path, std::string bytes);
  // Waits until every queued frame is written; rethrows the first writer error.
  void finish();
  int64_t written() const;

 private:
  void work();
  void stop_and_join();

  struct Item {
    fs::path path;
    cv::Mat image;      // to encode, or
    std::string bytes;  // already encoded
  };
  void enqueue(Item item);
  ImageWriteOptions write_options_;
  ProgressFn progress_;
  int64_t total_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Item> queue_;
  bool closing_ = false;
  int64_t written_ = 0;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

}  // namespace s3d
