// What the depth stage needs from a depth model: raw relative inverse depth per frame.
// Implementations: the built-in heuristic (here) and Depth-Anything-V2 (lib/depth_anything_v2).
#pragma once
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace s3d::depth_stage {

class DepthEstimator {
 public:
  virtual ~DepthEstimator() = default;

  // Raw depth for each 8-bit BGR frame: CV_32FC1 at the frame's size, relative inverse
  // depth (larger = nearer), unnormalized. Frames of one call may be batched together.
  virtual std::vector<cv::Mat> estimate(const std::vector<cv::Mat>& bgr_frames) = 0;

  // Short name recorded in outputs, e.g. "heuristic" or "dav2-vits".
  virtual std::string name() const = 0;
};

}  // namespace s3d::depth_stage
