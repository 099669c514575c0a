// The "heuristic" depth model: monocular depth from classic cues, no network. Cues are
// measured at a reduced resolution and combined into relative inverse depth (larger =
// nearer), smoothed edge-aware with a guided filter, and upsampled edge-aware to the frame
// size. Cues are absolute (never rescaled per frame) so a static background keeps its raw
// depth when something enters the frame. Deterministic. See docs/depth-maps.md.
#pragma once
#include "depth_stage/depth_estimator.hpp"

namespace s3d::depth_stage {

struct HeuristicDepthOptions {
  int work_width = 320;         // width the cues are combined at, pixels, 64..1024, default 320
  double weight_vertical = 0.50;  // lower in the frame = nearer (ground plane), >= 0
  double weight_brightness = 0.25;  // brighter (smoothed) = nearer (relative brightness: light
                                    // falls off with distance from the scene's light), >= 0
  double weight_sharpness = 0.15; // in-focus fine detail = nearer (defocus), >= 0
  double weight_haze = 0.10;      // dark channel: little haze = nearer (aerial perspective), >= 0
  int smooth_radius = 6;        // guided-filter radius at work_width, pixels, >= 1
  double smooth_eps = 1e-2;     // guided-filter regularization (guide variance, 0..1 scale), > 0

  // Throws UsageError for invalid values.
  void check() const;
};

class HeuristicDepth : public DepthEstimator {
 public:
  explicit HeuristicDepth(HeuristicDepthOptions options = {});
  // Frames are independent; each result is CV_32FC1 at its frame's size, values about 0..1.
  std::vector<cv::Mat> estimate(const std::vector<cv::Mat>& bgr_frames) override;
  // The guided-filter model at the work size (kGuided): what the frame-sized map is made of.
  std::vector<DepthField> estimate_fields(const std::vector<cv::Mat>& bgr_frames) override;
  bool has_own_grid() const override { return true; }
  std::string name() const override { return "heuristic"; }

  // One frame (what estimate() does per frame), and its field.
  cv::Mat estimate_one(const cv::Mat& bgr) const;
  DepthField estimate_field(const cv::Mat& bgr) const;

 private:
  HeuristicDepthOptions options_;
};

}  // namespace s3d::depth_stage
