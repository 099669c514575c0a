// Depth maps as colour pictures for people: a perceptual colormap, near = warm, far = cool,
// and a legend bar beside the map that says which end is which (and, given the view
// geometry, how far each end moves per eye). The depth convention is s3d's: 0 = farthest,
// 1 = nearest (normalized relative inverse depth, docs/depth-maps.md).
#pragma once
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "core/enum_names.hpp"

namespace s3d::preview {

// OpenCV's perceptual maps, each running from cool/dark (far) to warm/bright (near).
enum class Colormap {
  kTurbo,    // turbo (default): dark blue .. cyan .. yellow .. dark red, the most levels told apart
  kInferno,  // inferno: black .. purple .. orange .. pale yellow, lightness rising steadily
  kMagma,    // magma: black .. purple .. pink .. pale yellow
};
const EnumNames<Colormap>& colormap_names();  // turbo inferno magma

// The colour (8-bit BGR) of depth `d` in [0, 1] (clamped): the map's entry round(255 d).
cv::Vec3b colormap_color(double d, Colormap map);

// A normalized depth map (CV_32FC1, 0 = far .. 1 = near; values outside are clamped) as an
// 8-bit BGR picture of its size: each pixel the map's entry round(255 d).
cv::Mat colorize_depth(const cv::Mat& depth, Colormap map);

// What the legend writes beside its ends (empty: just "near" / "far").
struct LegendLabels {
  std::string near_note;         // e.g. "+15 px" (the per-eye shift of the nearest depth)
  std::string far_note;          // e.g. "0 px"
  std::optional<double> screen;  // a depth in (0, 1) drawn as a "screen" tick (the convergence)
};

// The width of the legend a picture of `height` rows gets: a dark strip holding a vertical
// colour bar (near at the top, far at the bottom) and its labels.
int legend_width(int height);

// The bar's rows in a legend of `height` rows: [top, bottom), top = nearest (depth 1),
// bottom - 1 = farthest (depth 0); its columns are [bar_left, bar_left + bar_width).
struct LegendBar {
  int top = 0, bottom = 0, left = 0, width = 0;
};
LegendBar legend_bar(int height);

// `colour` (8-bit BGR) with the legend appended on its right: legend_width(rows) more columns.
cv::Mat with_legend(const cv::Mat& colour, Colormap map, const LegendLabels& labels = {});

// A horizontal legend strip of `width` x `height` (far on the left, near on the right, both
// labelled), for the contact sheet's header.
cv::Mat horizontal_legend(int width, int height, Colormap map, const LegendLabels& labels = {});

}  // namespace s3d::preview
