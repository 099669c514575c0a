// Depth maps as s3d-parallax reads them: 8- or 16-bit grayscale, 0 = farthest,
// maximum = nearest (relative inverse depth), any size; made into a float map of the
// frame's size, optionally shaped (near regions grown, smoothed).
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>

#include "core/option_table.hpp"

namespace s3d::parallax {

namespace fs = std::filesystem;

struct DepthShaping {
  int edge_dilation = 0;  // px: grow nearer regions by this radius before warping, 0..64, default 0
  float blur_sigma = 0;   // px: Gaussian blur sigma applied after dilation, 0..50, 0 = none, default 0

  // --edge-dilation, --depth-blur.
  static const OptionTable<DepthShaping>& table();
};

// Reads a depth file unchanged; throws Error naming it unless it is 8- or 16-bit with one
// channel (of a 3- or 4-channel image, as some tools save grayscale, the first is used).
cv::Mat read_depth(const fs::path& path);
// The same into `raw`, reusing its memory when it fits (one per worker thread).
void read_depth_into(const fs::path& path, cv::Mat& raw);

// A raw 8/16-bit depth map -> CV_32FC1 in [0, 1] of `size` (bilinear if resized), shaped.
// `name` identifies the map in error messages.
cv::Mat prepare_depth(const cv::Mat& raw, cv::Size size, const DepthShaping& shaping, const std::string& name);
// Applies `shaping` (dilation, then blur) to a CV_32FC1 depth map in place. `scale_x`,
// `scale_y`: the map's pixels per source pixel along each axis (a squeezed eye: 0.5), so the
// radius and sigma keep their meaning in source pixels.
void shape_depth(cv::Mat& depth, const DepthShaping& shaping, double scale_x = 1, double scale_y = 1);
// The same into `depth`, reusing its memory when it fits (`depth` must not share `raw`'s).
void prepare_depth(const cv::Mat& raw, cv::Size size, const DepthShaping& shaping, const std::string& name,
                   cv::Mat& depth);

}  // namespace s3d::parallax
