// What the depth stage needs from a depth model: raw relative inverse depth per frame.
// Implementations: the built-in heuristic (here) and Depth-Anything-V2 (lib/depth_anything_v2).
#pragma once
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "depth_stage/depth_field.hpp"

namespace s3d::depth_stage {

class DepthEstimator {
 public:
  virtual ~DepthEstimator() = default;

  // Raw depth for each 8-bit BGR frame: CV_32FC1 at the frame's size, relative inverse
  // depth (larger = nearer), unnormalized. Frames of one call may be batched together.
  virtual std::vector<cv::Mat> estimate(const std::vector<cv::Mat>& bgr_frames) = 0;

  // The same depth at the estimator's own resolution, with how it becomes frame-sized
  // (render_field(estimate_fields(f)[i], f[i]) equals estimate(f)[i]). By default the
  // frame-sized maps themselves, as kBilinear fields.
  virtual std::vector<DepthField> estimate_fields(const std::vector<cv::Mat>& bgr_frames) {
    std::vector<DepthField> fields;
    for (auto& map : estimate(bgr_frames)) fields.push_back({DepthField::Kind::kBilinear, map, cv::Mat()});
    return fields;
  }

  // Whether estimate_fields gives the estimator's own grid (any size, e.g. a network's, larger
  // than a small frame); false: the frame-sized maps of estimate(), checked to be so.
  virtual bool has_own_grid() const { return false; }

  // Short name recorded in outputs, e.g. "heuristic" or "dav2-vits".
  virtual std::string name() const = 0;
};

}  // namespace s3d::depth_stage
