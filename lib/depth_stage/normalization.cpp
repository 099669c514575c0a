#include "depth_stage/normalization.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"

namespace s3d::depth_stage {

const EnumNames<Normalize>& normalize_names() {
  static const EnumNames<Normalize> names = {
      {Normalize::kFrame, "frame"}, {Normalize::kEma, "ema"}, {Normalize::kGlobal, "global"}};
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

DepthRange EmaRange::update(const DepthRange& frame, bool scene_cut) {
  if (!started_ || scene_cut) {
    state_ = frame;
    started_ = true;
    return state_;
  }
  // Widening follows the frame at once; narrowing creeps by alpha, past the dead band only.
  const double band = dead_band_ * (state_.hi - state_.lo);
  if (frame.lo < state_.lo) {
    state_.lo = frame.lo;
  } else if (frame.lo - state_.lo > band) {
    state_.lo += alpha_ * (frame.lo - state_.lo - band);
  }
  if (frame.hi > state_.hi) {
    state_.hi = frame.hi;
  } else if (state_.hi - frame.hi > band) {
    state_.hi -= alpha_ * (state_.hi - frame.hi - band);
  }
  return state_;
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
