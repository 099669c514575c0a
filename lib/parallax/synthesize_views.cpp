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

StereoViews synthesize_views(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& params,
                             int threads) {
  StereoViews views;
  if (makes_eye(params.synthesize, Eye::kLeft)) views.left = make_view(frame, depth, params, Eye::kLeft, threads);
  if (makes_eye(params.synthesize, Eye::kRight)) views.right = make_view(frame, depth, params, Eye::kRight, threads);
  return views;
}

}  // namespace s3d::parallax
