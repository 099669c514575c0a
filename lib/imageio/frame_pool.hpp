// Reused frame buffers for streams of equal-size frames. A fresh 1080p BGR picture is
// 6 MB of new pages, i.e. ~1500 page faults each time it is touched first: at 30+ frames a
// second that is a measurable share of a core. A pool hands out a picture nobody else holds
// any more (its only reference is the pool's), or a new one while all are in use.
#pragma once
#include <opencv2/core.hpp>
#include <vector>

namespace s3d {

class FramePool {
 public:
  // `keep`: pictures held for reuse at most (the stream's depth: queued + in work + 1).
  explicit FramePool(size_t keep = 16) : keep_(keep) {}

  // A picture of `size` and `type`, contents undefined.
  cv::Mat take(cv::Size size, int type) {
    for (cv::Mat& m : pool_)
      if (m.u && m.u->refcount == 1 && m.size() == size && m.type() == type) return m;
    cv::Mat fresh(size, type);
    if (pool_.size() < keep_) {
      pool_.push_back(fresh);
    } else {
      // Replace an idle picture of another size, if any (a stream rarely changes size).
      for (cv::Mat& m : pool_)
        if (m.u && m.u->refcount == 1) {
          m = fresh;
          break;
        }
    }
    return fresh;
  }

 private:
  size_t keep_;
  std::vector<cv::Mat> pool_;
};

}  // namespace s3d
