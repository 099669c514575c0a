#include "depth_stage/normalization.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"

namespace s3d::depth_stage {

const EnumNames<Normalize>& normalize_names() {
  static const EnumNames<Normalize> names = {
      {Normalize::kFrame, "frame"}, {Normalize::kWindow, "window"}, {Normalize::kGlobal, "global"}};
  return names;
}

DepthRange raw_range(const cv::Mat& raw, const std::string& what) {
  CV_Assert(raw.type() == CV_32FC1);
  if (!cv::checkRange(raw, true, nullptr, -1e30, 1e30))
    throw Error(what + ": raw depth holds NaN, infinite or out-of-range (|x| > 1e30) values");
  double lo = 0, hi = 0;
  cv::minMaxLoc(raw, &lo, &hi);
  return {lo, hi};
}

RangeWindow::RangeWindow(int frames) : frames_(frames) {
  if (frames < 1) throw UsageError("normalization window: expected at least 1 frame, got " + std::to_string(frames));
}

DepthRange RangeWindow::update(const DepthRange& frame, bool restart) {
  if (restart) history_.clear();
  history_.push_back(frame);
  if (static_cast<int>(history_.size()) > frames_) history_.pop_front();
  DepthRange out = frame;
  const int hold = frames_ / 2;
  for (size_t k = 0; k < history_.size(); ++k) {
    const DepthRange& u = history_[history_.size() - 1 - k];  // k frames ago
    const double f = k <= static_cast<size_t>(hold) ? 0.0 : double(k - hold) / (frames_ - hold);
    const double release = f * f * (u.hi - u.lo);
    out.hi = std::max(out.hi, u.hi - release);
    out.lo = std::min(out.lo, u.lo + release);
  }
  return out;
}

namespace {

uint16_t quantize_value(double raw, double lo, double scale) {
  const double v = std::round((raw - lo) * scale);
  return static_cast<uint16_t>(std::clamp(v, 0.0, 65535.0));
}

}  // namespace

cv::Mat quantize_depth(const cv::Mat& raw, const DepthRange& range) {
  CV_Assert(raw.type() == CV_32FC1);
  cv::Mat out(raw.size(), CV_16UC1, cv::Scalar(0));
  if (!(range.hi > range.lo)) return out;
  const double scale = 65535.0 / (range.hi - range.lo);
  for (int y = 0; y < raw.rows; ++y) {
    const float* src = raw.ptr<float>(y);
    uint16_t* dst = out.ptr<uint16_t>(y);
    for (int x = 0; x < raw.cols; ++x) dst[x] = quantize_value(src[x], range.lo, scale);
  }
  return out;
}

cv::Mat remap_depth(const cv::Mat& depth16, const DepthRange& from, const DepthRange& to) {
  CV_Assert(depth16.type() == CV_16UC1);
  cv::Mat out(depth16.size(), CV_16UC1, cv::Scalar(0));
  if (!(to.hi > to.lo)) return out;
  // A table per input level: exact, and 65536 evaluations instead of one per pixel.
  std::vector<uint16_t> table(65536);
  const double step = (from.hi - from.lo) / 65535.0, scale = 65535.0 / (to.hi - to.lo);
  for (int v = 0; v < 65536; ++v) table[v] = quantize_value(from.lo + v * step, to.lo, scale);
  for (int y = 0; y < depth16.rows; ++y) {
    const uint16_t* src = depth16.ptr<uint16_t>(y);
    uint16_t* dst = out.ptr<uint16_t>(y);
    for (int x = 0; x < depth16.cols; ++x) dst[x] = table[src[x]];
  }
  return out;
}

}  // namespace s3d::depth_stage
