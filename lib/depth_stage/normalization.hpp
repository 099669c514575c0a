// Turning raw relative inverse depth into the 16-bit depth frames of the depth stage.
// Every mapping is a linear map of raw [lo, hi] onto [0, 65535] (0 = farthest, 65535 =
// nearest); the sidecar of each frame records lo and hi, so raw = lo + v / 65535 * (hi - lo)
// and a frame can be renormalized later without the network. See docs/depth-maps.md.
#pragma once
#include <opencv2/core.hpp>
#include <string>
#include <string_view>

#include "core/enum_names.hpp"

namespace s3d::depth_stage {

// How lo/hi are chosen per frame (--normalize).
enum class Normalize {
  kFrame,   // the frame's own min..max (the article's; flickers when objects enter or leave)
  kEma,     // a moving average of the per-frame range, reset at scene cuts (default)
  kGlobal,  // min..max over every frame of the processed range (a second pass rewrites)
};

const EnumNames<Normalize>& normalize_names();  // frame ema global

// Raw value range of one frame.
struct DepthRange {
  double lo = 0;
  double hi = 0;
  bool operator==(const DepthRange& o) const { return lo == o.lo && hi == o.hi; }
  bool operator!=(const DepthRange& o) const { return !(*this == o); }
};

// The min and max of a CV_32FC1 map. Throws Error (naming `what`) if it holds NaN or inf.
DepthRange raw_range(const cv::Mat& raw, const std::string& what);

// The EMA of the per-frame range: it expands at once when a frame exceeds it (nothing is
// ever clipped); when the frame's range lies inside it by more than `dead_band` of its width
// it shrinks by `alpha` per frame of the excess (hysteresis: the jitter of a frame's extremes
// moves nothing). A scene cut (or the first frame) restarts it at the frame's range.
// alpha = 1 with dead_band = 0 equals Normalize::kFrame.
class EmaRange {
 public:
  explicit EmaRange(double alpha, double dead_band = 0.05) : alpha_(alpha), dead_band_(dead_band) {}
  // Feeds one frame's raw range; returns the range to map that frame with.
  DepthRange update(const DepthRange& frame, bool scene_cut);
  // Continues from a range already used for the frame before (resuming a run).
  void restore(const DepthRange& state) { state_ = state, started_ = true; }
  void reset() { started_ = false; }

 private:
  double alpha_, dead_band_;
  DepthRange state_;
  bool started_ = false;
};

// v = round((raw - lo) / (hi - lo) * 65535), clamped to 0..65535, computed in double and
// rounded half away from zero. A degenerate range (hi <= lo) maps everything to 0.
cv::Mat quantize_depth(const cv::Mat& raw, const DepthRange& range);

// Re-expresses a 16-bit depth frame quantized with `from` in the mapping of `to`
// (raw = from.lo + v / 65535 * (from.hi - from.lo), then quantize_depth with `to`).
cv::Mat remap_depth(const cv::Mat& depth16, const DepthRange& from, const DepthRange& to);

}  // namespace s3d::depth_stage
