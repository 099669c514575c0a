// Turning raw relative inverse depth into the 16-bit depth frames of the depth stage.
// Every mapping is a linear map of raw [lo, hi] onto [0, 65535] (0 = farthest, 65535 =
// nearest); the sidecar of each frame records lo and hi, so raw = lo + v / 65535 * (hi - lo)
// and a frame can be renormalized later without the network. See docs/depth-maps.md.
#pragma once
#include <deque>
#include <opencv2/core.hpp>
#include <string>
#include <string_view>

#include "core/enum_names.hpp"

namespace s3d::depth_stage {

// How lo/hi are chosen per frame (--normalize).
enum class Normalize {
  kFrame,   // the frame's own min..max (the article's; flickers when objects enter or leave)
  kWindow,  // a peak-hold envelope of the last frames' ranges, reset at scene cuts (default)
  kGlobal,  // min..max over every frame of the processed range (a second pass rewrites)
};

const EnumNames<Normalize>& normalize_names();  // frame window global

// Raw value range of one frame.
struct DepthRange {
  double lo = 0;
  double hi = 0;
  bool operator==(const DepthRange& o) const { return lo == o.lo && hi == o.hi; }
  bool operator!=(const DepthRange& o) const { return !(*this == o); }
};

// The min and max of a CV_32FC1 map. Throws Error (naming `what`) if it holds NaN or inf.
DepthRange raw_range(const cv::Mat& raw, const std::string& what);

// The range of `window` normalization: a pure function of the raw ranges of the last
// `frames` frames of the shot, the frame itself included — so a chunk that replays the
// frames before its start maps every frame exactly as one pass over the whole film does
// (docs/depth-maps.md, "window"). hi = max over those frames u of hi_u - r(d) (hi_u - lo_u),
// lo = min of lo_u + r(d) (hi_u - lo_u), d = frames since u: a peak hold, r(d) = 0 for the
// first half of the window (the jitter of a frame's extremes moves nothing), then released
// as ((d - h) / (frames - h))^2, h = frames / 2, reaching a frame's whole width as it leaves
// the window (so its leaving changes nothing). It never clips the current frame. frames = 1
// equals Normalize::kFrame.
class RangeWindow {
 public:
  explicit RangeWindow(int frames);
  // Feeds the next frame's raw range; `restart` (a scene cut, or the frame before it was not
  // fed) forgets the frames before. Returns the range to map the frame with.
  DepthRange update(const DepthRange& frame, bool restart);
  void reset() { history_.clear(); }

 private:
  int frames_;
  std::deque<DepthRange> history_;  // oldest first, at most frames_
};

// v = round((raw - lo) / (hi - lo) * 65535), clamped to 0..65535, computed in double and
// rounded half away from zero. A degenerate range (hi <= lo) maps everything to 0.
cv::Mat quantize_depth(const cv::Mat& raw, const DepthRange& range);

// Re-expresses a 16-bit depth frame quantized with `from` in the mapping of `to`
// (raw = from.lo + v / 65535 * (from.hi - from.lo), then quantize_depth with `to`).
cv::Mat remap_depth(const cv::Mat& depth16, const DepthRange& from, const DepthRange& to);

}  // namespace s3d::depth_stage
