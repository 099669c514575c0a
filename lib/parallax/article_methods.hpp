// The seed article's two view-synthesis methods, kept for comparison and for users who
// want its look: `remap` (method 1) and `shift` (method 2).
#pragma once
#include <opencv2/core.hpp>

#include "parallax/view_geometry.hpp"

namespace s3d::parallax {

// Method 1: backward sampling. Target pixel x takes the source at x - dx(depth(x)) (depth
// at the TARGET pixel), clamped to the row, with `interpolation` (cv::INTER_*). For the
// right eye with convergence 0 this is the article's image[x + depth * scale].
cv::Mat remap_view(const cv::Mat& image, const cv::Mat& depth, ViewShift shift, int interpolation);

// Method 2: the same backward lookup rounded to whole pixels; pixels whose source falls
// outside the frame are inpainted with cv::inpaint (Telea), `inpaint_radius` px, as the article.
cv::Mat shift_view(const cv::Mat& image, const cv::Mat& depth, ViewShift shift, int inpaint_radius);

}  // namespace s3d::parallax
