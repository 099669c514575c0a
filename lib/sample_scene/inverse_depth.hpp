// The true depth in the project's depth-map convention (docs/depth-maps.md): 16-bit, 0 =
// farthest .. 65535 = nearest, linear in inverse depth (what depth estimators output and what
// s3d-parallax reads). The mapping is fixed, the same for every frame, so a static
// background keeps its value while the camera moves:
//   v = round(65535 * (1/z - 1/kSkyDepth) / (1/kNearDepth - 1/kSkyDepth)), clamped to 0..65535
// so the sky (z = kSkyDepth, 1000 m) is 0 and anything at kNearDepth or nearer is 65535.
#pragma once
#include <opencv2/core.hpp>

namespace s3d::sample_scene {

// Metres: the depth stored as 65535 (the demo's nearest surfaces come to 2.16 m, in frame 192).
constexpr double kNearDepth = 2.0;

// `depth`: CV_32FC1 camera-space z in metres (render.hpp). Returns CV_16UC1.
cv::Mat inverse_depth_16(const cv::Mat& depth);

}  // namespace s3d::sample_scene
