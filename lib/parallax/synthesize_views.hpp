// One frame in, the requested eyes out, by the chosen method.
#pragma once
#include <opencv2/core.hpp>
#include <optional>

#include "core/option_table.hpp"
#include "parallax/black_bars.hpp"
#include "parallax/view_geometry.hpp"

namespace s3d::parallax {

struct SynthesisParams {
  Method method = Method::kForward;  // forward (default) | remap | shift
  float parallax = 15;               // px: per-eye shift at the nearest depth (convergence 0), 0..1000, default 15
  std::optional<float> convergence;  // depth on the screen plane, 0..1; unset = auto (default):
                                     // per frame, the far 10 % of its picture behind the screen
                                     // (auto_convergence.hpp)
  Eyes synthesize = Eyes::kBoth;     // which eyes to make; a single one moves by the full disparity
  int interpolation = 1;             // remap only: cv::INTER_* (default 1 = linear)
  int inpaint_radius = 2;            // shift only: inpainting radius in px, 1..50, default 2
  KeepBars keep_bars = KeepBars::kAuto;  // auto: black bars found in each frame stay flat and unwarped

  // --method, --parallax, --convergence, --synthesize, --interpolation, --inpaint-radius, --keep-bars.
  static const OptionTable<SynthesisParams>& table();
};

struct StereoViews {
  cv::Mat left, right;  // empty when that eye is not synthesized
};

// `frame` CV_8UC1/3, `depth` CV_32FC1 of the frame's size in [0, 1]. `threads` (0 = every
// core) split the rows of each view. With keep_bars auto, the frame's black bars
// (detect_black_bars) are put at screen depth and copied unwarped into each view.
// The screen depth the views use: params.convergence, or auto_convergence of `depth`.
StereoViews synthesize_views(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& params,
                             int threads = 1);
// The same into `views`, reusing their memory where it fits (keep one per worker thread).
void synthesize_views(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& params, int threads,
                      StereoViews& views);
// The screen depth of a frame: params.convergence, else auto_convergence(depth, bars).
float screen_depth(const SynthesisParams& params, const cv::Mat& depth, const FrameBars& bars);

}  // namespace s3d::parallax
