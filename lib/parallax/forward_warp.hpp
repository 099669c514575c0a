// The forward method: every source pixel is moved to where its depth sends it, nearer
// surfaces hide farther ones, and the holes opened behind near objects are filled from the
// far side. Sub-pixel accurate; no black bars at the frame edges.
#pragma once
#include <opencv2/core.hpp>

#include "parallax/view_geometry.hpp"

namespace s3d::parallax {

// Two horizontally adjacent source pixels stay joined (the target between them is
// interpolated) while their shifts differ by less than this many pixels; a larger step is
// a depth edge: pulled apart it opens a hole, pushed together the nearer side hides the other.
// Below one pixel so that whole-pixel steps are edges despite depth quantization.
constexpr float kMaxShiftStepPx = 0.75f;
// Disocclusion holes take the mean colour of this many background pixels next to them.
constexpr int kHoleFillSamples = 2;

// Synthesizes one view of `image` (CV_8UC1 or CV_8UC3) with `depth` (CV_32FC1, same size,
// 0 = farthest .. 1 = nearest). Rows are independent; `threads` bands run in parallel
// (0 = every core).
cv::Mat forward_warp(const cv::Mat& image, const cv::Mat& depth, ViewShift shift, int threads = 1);
// Two views of the same frame (both eyes) in one pass over its rows, into `out_a` and
// `out_b`, reusing their memory when it fits (they must not be `image`).
void forward_warp_pair(const cv::Mat& image, const cv::Mat& depth, ViewShift shift_a, ViewShift shift_b, int threads,
                       cv::Mat& out_a, cv::Mat& out_b);

// The same by the general per-segment loop alone, without forward_warp's vectorized fast
// path for segments holding one target centre: the specification that path is tested
// against (bit-identical output).
cv::Mat forward_warp_reference(const cv::Mat& image, const cv::Mat& depth, ViewShift shift);

}  // namespace s3d::parallax
