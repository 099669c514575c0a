// Scene-cut detection from the frames themselves: the colour histogram of a small copy of
// each frame is compared with the previous frame's; a large distance is a cut.
#pragma once
#include <opencv2/core.hpp>

namespace s3d::depth_stage {

// A normalized 8x4x4 HSV histogram (hue x saturation x value) of the frame at 64 pixels wide:
// insensitive to motion and noise inside a shot, changed wholesale by a cut. CV_32F.
cv::Mat scene_signature(const cv::Mat& bgr);

// Bhattacharyya distance of two signatures: 0 = same colours, 1 = nothing in common.
double scene_distance(const cv::Mat& a, const cv::Mat& b);

}  // namespace s3d::depth_stage
