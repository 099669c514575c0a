#include "parallax/synthesize_views.hpp"

#include "parallax/article_methods.hpp"
#include "parallax/auto_convergence.hpp"
#include "parallax/forward_warp.hpp"
#include "core/errors.hpp"
#include "core/value_parsers.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace s3d::parallax {
namespace {

cv::Mat make_view(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& p, Eye eye, int threads) {
  const ViewShift shift = eye_shift(eye, p.synthesize, p.parallax, *p.convergence);
  switch (p.method) {
    case Method::kRemap: return remap_view(frame, depth, shift, p.interpolation);
    case Method::kShift: return shift_view(frame, depth, shift, p.inpaint_radius);
    case Method::kForward: break;
  }
  return forward_warp(frame, depth, shift, threads);
}

void synthesize_unbarred(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& params, int threads,
                         StereoViews& views);
// The bands at the frame's outer edges that a view's shift leaves without source (the left
// edge of content moved right, the right edge of content moved left), per row: filled with
// the picture next to them mirrored, instead of one edge pixel stretched into streaks.
void mirror_outer_edges(const cv::Mat& depth, const SynthesisParams& params, StereoViews& views);

}  // namespace

const OptionTable<SynthesisParams>& SynthesisParams::table() {
  static const auto table =
      OptionTable<SynthesisParams>()
          .choice("method", &SynthesisParams::method, method_names(),
                  "forward (z-ordered forward warp, background-side hole filling) | remap (the article's method 1) | "
                  "shift (its method 2: whole-pixel shift + inpainting)")
          .number("parallax", &SynthesisParams::parallax, Bounds{0, 1000},
                  "Per-eye shift in px at the nearest depth: s = PX * (d - C); eyes are 2s apart", "PX")
          .value<std::optional<float>>(
              "convergence", &SynthesisParams::convergence,
              [](std::string_view text, const std::string& option) -> std::optional<float> {
                if (text == "auto") return std::nullopt;
                return static_cast<float>(parse_real(text, option));
              },
              [](const std::optional<float>& c) { return c ? format_real(*c) : std::string("auto"); }, "C",
              "Depth that stays on the screen plane: auto (per frame, the far 10 % of the picture behind the "
              "screen, the rest in front) | C in [0, 1] (0 = farthest: everything pops out)",
              Need::kOptional, "auto|0..1")
          .also_check([](const SynthesisParams& p) {
            if (p.convergence && !(*p.convergence >= 0 && *p.convergence <= 1))
              throw UsageError("--convergence: expected auto or 0..1, got " + format_real(*p.convergence));
          })
          .choice("synthesize", &SynthesisParams::synthesize, eyes_names(),
                  "Which eyes to make; a single synthesized eye moves by the full 2s, the other eye is the untouched "
                  "frame (point s3d-pack at --frames for it)")
          .choice("interpolation", &SynthesisParams::interpolation, interpolation_names(), "remap only: resampling")
          .number("inpaint-radius", &SynthesisParams::inpaint_radius, Bounds{1, 50}, "shift only: inpainting radius in px")
          .choice("keep-bars", &SynthesisParams::keep_bars, keep_bars_names(),
                  "auto: letterbox/pillarbox bars (constant black borders, found in each frame) stay at screen depth "
                  "and unwarped in both eyes | off: bars are warped like the picture");
  return table;
}

StereoViews synthesize_views(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& params,
                             int threads) {
  StereoViews views;
  synthesize_views(frame, depth, params, threads, views);
  return views;
}

float screen_depth(const SynthesisParams& params, const cv::Mat& depth, const FrameBars& bars) {
  return params.convergence ? *params.convergence : auto_convergence(depth, bars);
}

void synthesize_views(const cv::Mat& frame, const cv::Mat& depth_in, const SynthesisParams& given, int threads,
                      StereoViews& views) {
  const FrameBars bars = given.keep_bars == KeepBars::kAuto ? detect_black_bars(frame) : FrameBars{};
  SynthesisParams params = given;  // with this frame's screen depth
  params.convergence = screen_depth(given, depth_in, bars);
  thread_local cv::Mat flat;  // (one per worker thread: memory reused frame to frame)
  if (bars.any()) flatten_bars(depth_in, bars, *params.convergence, flat);
  const cv::Mat& depth = bars.any() ? flat : depth_in;
  synthesize_unbarred(frame, depth, params, threads, views);
  // (The article's methods keep the article's edges: they reproduce it, tested against its code.)
  if (params.method == Method::kForward) mirror_outer_edges(depth, params, views);
  for (cv::Mat* view : {&views.left, &views.right})
    if (bars.any() && !view->empty()) restore_bars(frame, bars, *view);
}

namespace {

void mirror_outer_edges(const cv::Mat& depth, const SynthesisParams& params, StereoViews& views) {
  for (Eye eye : {Eye::kLeft, Eye::kRight}) {
    cv::Mat& view = eye == Eye::kLeft ? views.left : views.right;
    if (view.empty()) continue;
    const ViewShift shift = eye_shift(eye, params.synthesize, params.parallax, *params.convergence);
    const int cols = view.cols, channels = view.channels(), limit = cols / 3;
    for (int y = 0; y < view.rows; ++y) {
      uchar* row = view.ptr<uchar>(y);
      const float* d = depth.ptr<float>(y);
      // Content moved right opens the left edge (by the first column's shift), content moved
      // left the right edge (by the last column's).
      const int open_left = std::clamp(static_cast<int>(std::floor(shift.dx(d[0]))), 0, limit);
      const int open_right = std::clamp(static_cast<int>(std::floor(-shift.dx(d[cols - 1]))), 0, limit);
      for (int x = 0; x < open_left; ++x)  // reflected about column open_left
        std::memcpy(row + x * channels, row + (2 * open_left - x) * channels, channels);
      const int edge = cols - 1 - open_right;
      for (int x = cols - 1; x > edge; --x)  // reflected about column `edge`
        std::memcpy(row + x * channels, row + (2 * edge - x) * channels, channels);
    }
  }
}

void synthesize_unbarred(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& params, int threads,
                         StereoViews& views) {
  if (params.method == Method::kForward && params.synthesize == Eyes::kBoth) {
    const auto shift = [&](Eye eye) { return eye_shift(eye, params.synthesize, params.parallax, *params.convergence); };
    forward_warp_pair(frame, depth, shift(Eye::kLeft), shift(Eye::kRight), threads, views.left, views.right);
    return;
  }
  for (Eye eye : {Eye::kLeft, Eye::kRight}) {
    cv::Mat& view = eye == Eye::kLeft ? views.left : views.right;
    view = makes_eye(params.synthesize, eye) ? make_view(frame, depth, params, eye, threads) : cv::Mat();
  }
}

}  // namespace

}  // namespace s3d::parallax
