// OpenCV's own thread count for a scope, then restored. Stages that run frames in parallel,
// or share the cores with the other tools of a pipeline, give OpenCV one thread: its pool
// spin-waits between calls (sched_yield), which on a busy 2-core machine burned ~30% of
// s3d-depth's CPU time (7.9 vs 5.7 CPU-s for 171 1080p frames, measured). (In imageio: the
// lowest s3d library that links OpenCV.)
#pragma once
#include <opencv2/core/utility.hpp>

namespace s3d {

class OpenCvThreads {
 public:
  explicit OpenCvThreads(int threads) : saved_(cv::getNumThreads()) { cv::setNumThreads(threads); }
  ~OpenCvThreads() { cv::setNumThreads(saved_); }
  OpenCvThreads(const OpenCvThreads&) = delete;
  OpenCvThreads& operator=(const OpenCvThreads&) = delete;

 private:
  int saved_;
};

}  // namespace s3d
