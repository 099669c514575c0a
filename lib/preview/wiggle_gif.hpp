// The wiggle GIF: a frame's views shown one after the other, left .. right and back, looping
// forever, so the depth is seen without glasses. Written by the ffmpeg program (OpenCV has no
// GIF writer) with one palette made for all the views (palettegen / paletteuse), atomically.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <vector>

namespace s3d::preview {

namespace fs = std::filesystem;

struct GifOptions {
  double fps = 4;   // views per second (4: a quarter second each)
  int width = 960;  // the GIF's width in px (height by the aspect ratio), never more than the views'; 0 = the views'
};

// The views' order in one loop: 0, 1, .., n-1 and back n-2, .., 1 (n = 2: 0, 1).
std::vector<int> wiggle_order(int views);

// The GIF's picture size for views of `view` size.
cv::Size gif_size(cv::Size view, int width);

// Writes `views` (8-bit BGR, equal sizes, ordered from the left eye to the right) as a GIF
// looping forever in wiggle_order, resized to gif_size (area average). Throws Error naming
// `out` when ffmpeg fails.
void write_wiggle_gif(const std::vector<cv::Mat>& views, const fs::path& out, const GifOptions& options);

}  // namespace s3d::preview
