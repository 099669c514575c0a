// Fast-marching inpainting in the manner of Telea (2004), for the `shift` method's holes.
// (OpenCV's cv::inpaint lives in opencv_photo, which the project does not link.)
#pragma once
#include <opencv2/core.hpp>

namespace s3d::parallax {

// Fills the pixels of `image` (CV_8UC1/3) where `mask` (CV_8UC1) is non-zero, nearest to
// the known region first; each is the average of the already-known pixels within `radius`
// px, weighted by closeness in distance and in arrival time.
cv::Mat inpaint_fast_marching(const cv::Mat& image, const cv::Mat& mask, int radius);

}  // namespace s3d::parallax
