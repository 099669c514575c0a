#include "parallax/auto_convergence.hpp"

#include <algorithm>
#include <vector>

namespace s3d::parallax {

float auto_convergence(const cv::Mat& depth, const FrameBars& bars) {
  CV_Assert(depth.type() == CV_32FC1);
  const cv::Rect picture(bars.left, bars.top, depth.cols - bars.left - bars.right, depth.rows - bars.top - bars.bottom);
  if (picture.width <= 0 || picture.height <= 0) return 0.0f;
  constexpr int kLevels = 1024;
  std::vector<int64_t> histogram(kLevels, 0);
  // Every other row and column: a quarter of the pixels orders the picture as well, at a
  // quarter of the cost (about 0.3 ms for 1080p).
  for (int y = picture.y; y < picture.y + picture.height; y += 2) {
    const float* row = depth.ptr<float>(y);
    for (int x = picture.x; x < picture.x + picture.width; x += 2)
      ++histogram[std::clamp(static_cast<int>(row[x] * kLevels), 0, kLevels - 1)];
  }
  int64_t total = 0;
  for (int64_t n : histogram) total += n;
  const double wanted = kAutoConvergenceBehind * static_cast<double>(total);
  double below = 0;
  for (int level = 0; level < kLevels; ++level) {
    const double n = static_cast<double>(histogram[level]);
    if (below + n >= wanted && n > 0)
      return static_cast<float>((level + (wanted - below) / n) / kLevels);  // within the level, linearly
    below += n;
  }
  return 1.0f;
}

}  // namespace s3d::parallax
