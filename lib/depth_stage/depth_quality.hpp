// How well a depth map orders a scene: Spearman's rank correlation with ground truth (only
// the order matters: a monocular depth has no scale), on Middlebury scenes with their
// ground-truth disparity (../shared/data/middlebury). What the depth-quality bench prints and
// the reference tests assert; the trivial "lower in the frame = nearer" prior is the bar.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace s3d::depth_stage {

// Spearman's rank correlation of a and b (equal sizes, >= 2): Pearson's on the ranks, ties
// given their average rank.
double spearman(const std::vector<double>& a, const std::vector<double>& b);

// A picture whose true depth order is known.
struct GroundTruthScene {
  std::string name;
  cv::Mat image;  // 8-bit BGR
  cv::Mat truth;  // CV_32FC1, larger = nearer (disparity or inverse depth); compared where mask
  cv::Mat mask;   // CV_8UC1, 255 = compared (known truth, not occluded)
};

// The Middlebury 2001 scenes in `middlebury_dir` (tsukuba, venus: left view, ground-truth
// disparity of the left view, its non-occluded mask; unknown disparity 0 is left out).
// Throws Error naming a missing or unreadable file.
std::vector<GroundTruthScene> load_middlebury(const std::filesystem::path& middlebury_dir);

// Spearman's correlation of `depth` (CV_32FC1, the scene's size, larger = nearer) with the
// scene's truth over its mask.
double depth_order_agreement(const cv::Mat& depth, const GroundTruthScene& scene);

// The trivial prior: 0 at the top row .. 1 at the bottom row (lower = nearer; the ground
// plane receding upwards). Also the heuristic's vertical cue.
cv::Mat vertical_prior(cv::Size size);

}  // namespace s3d::depth_stage
