#include "sample_scene/inverse_depth.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "sample_scene/scene.hpp"

namespace s3d::sample_scene {

cv::Mat inverse_depth_16(const cv::Mat& depth) {
  if (depth.type() != CV_32FC1) throw Error("inverse_depth_16: expected a CV_32FC1 depth map");
  cv::Mat out(depth.size(), CV_16UC1);
  const double far_inverse = 1 / kSkyDepth, scale = 65535 / (1 / kNearDepth - far_inverse);
  for (int y = 0; y < depth.rows; ++y) {
    const float* z = depth.ptr<float>(y);
    auto* v = out.ptr<uint16_t>(y);
    for (int x = 0; x < depth.cols; ++x) {
      const double level = std::round((1 / static_cast<double>(z[x]) - far_inverse) * scale);
      v[x] = static_cast<uint16_t>(std::max(0.0, std::min(65535.0, level)));
    }
  }
  return out;
}

}  // namespace s3d::sample_scene
