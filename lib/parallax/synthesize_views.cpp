#include "parallax/synthesize_views.hpp"

#include "parallax/article_methods.hpp"
#include "parallax/forward_warp.hpp"

namespace s3d::parallax {
namespace {

cv::Mat make_view(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& p, Eye eye, int threads) {
  const ViewShift shift = eye_shift(eye, p.synthesize, p.parallax, p.convergence);
  switch (p.method) {
    case Method::kRemap: return remap_view(frame, depth, shift, p.interpolation);
    case Method::kShift: return shift_view(frame, depth, shift, p.inpaint_radius);
    case Method::kForward: break;
  }
  return forward_warp(frame, depth, shift, threads);
}

}  // namespace

const OptionTable<SynthesisParams>& SynthesisParams::table() {
  static const auto table =
      OptionTable<SynthesisParams>()
          .choice("method", &SynthesisParams::method, method_names(),
                  "forward (z-ordered forward warp, background-side hole filling) | remap (the article's method 1) | "
                  "shift (its method 2: whole-pixel shift + inpainting)")
          .number("parallax", &SynthesisParams::parallax, Bounds{0, 1000},
                  "Per-eye shift in px at the nearest depth: s = PX * (d - C); eyes are 2s apart", "PX")
          .number("convergence", &SynthesisParams::convergence, Bounds{0, 1},
                  "Depth that stays on the screen plane (0 = farthest: everything pops out)", "C")
          .choice("synthesize", &SynthesisParams::synthesize, eyes_names(),
                  "Which eyes to make; a single synthesized eye moves by the full 2s, the other eye is the untouched "
                  "frame (point s3d-pack at --frames for it)")
          .choice("interpolation", &SynthesisParams::interpolation, interpolation_names(), "remap only: resampling")
          .number("inpaint-radius", &SynthesisParams::inpaint_radius, Bounds{1, 50}, "shift only: inpainting radius in px");
  return table;
}

StereoViews synthesize_views(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& params,
                             int threads) {
  StereoViews views;
  synthesize_views(frame, depth, params, threads, views);
  return views;
}

void synthesize_views(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& params, int threads,
                      StereoViews& views) {
  if (params.method == Method::kForward && params.synthesize == Eyes::kBoth) {
    const auto shift = [&](Eye eye) { return eye_shift(eye, params.synthesize, params.parallax, params.convergence); };
    forward_warp_pair(frame, depth, shift(Eye::kLeft), shift(Eye::kRight), threads, views.left, views.right);
    return;
  }
  for (Eye eye : {Eye::kLeft, Eye::kRight}) {
    cv::Mat& view = eye == Eye::kLeft ? views.left : views.right;
    view = makes_eye(params.synthesize, eye) ? make_view(frame, depth, params, eye, threads) : cv::Mat();
  }
}

}  // namespace s3d::parallax
