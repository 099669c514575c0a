// The guided filter (He, Sun, Tang 2010) and its fast upsampling variant (He, Sun 2015):
// smooths a map while keeping the edges of a guide image, so depth edges follow image edges.
#pragma once
#include <opencv2/core.hpp>

namespace s3d::depth_stage {

// The per-pixel linear model q = a * guide + b, with a and b already box-averaged.
struct GuidedModel {
  cv::Mat a, b;  // CV_32FC1, guide's size
};

// Fits the model of `src` on `guide` (both CV_32FC1, same size) over (2r+1)^2 windows;
// `eps` regularizes in units of the guide's variance (guide in 0..1 -> eps ~ 1e-3).
GuidedModel fit_guided_model(const cv::Mat& guide, const cv::Mat& src, int radius, double eps);

// q = a * gray + b at the frame's size, gray in 0..1 (the frame itself if CV_8UC1, else its
// cv::COLOR_BGR2GRAY), with a and b bilinearly upsampled: a model fitted at low resolution
// applied to the full-resolution frame (the fast guided filter). One fused pass, so a 1080p
// frame costs a few ms.
cv::Mat apply_guided_model(const GuidedModel& model, const cv::Mat& bgr);

}  // namespace s3d::depth_stage
