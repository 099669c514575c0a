// The default screen plane (--convergence auto): per frame, a low percentile of its depth, so
// that the far background sits on the screen or just behind it and the rest of the picture
// comes forward — instead of everything in front of the screen, as a fixed convergence of 0
// (the farthest point of the normalization's range) puts it.
#pragma once
#include <opencv2/core.hpp>

#include "parallax/black_bars.hpp"

namespace s3d::parallax {

// The share of a frame's picture (bars left out) that --convergence auto puts behind the
// screen plane: the far 10 %.
constexpr double kAutoConvergenceBehind = 0.10;

// The kAutoConvergenceBehind quantile of `depth` (CV_32FC1 in [0, 1]) over the picture inside
// `bars` (measured on a 1024-level histogram, interpolated within its level: it moves
// smoothly as the depth does); 0 for an empty picture.
float auto_convergence(const cv::Mat& depth, const FrameBars& bars);

}  // namespace s3d::parallax
