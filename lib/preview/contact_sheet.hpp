// One picture comparing the preview's frames: a header with the exact parameters, the depth
// colormap's legend and the column titles, then one row per frame: its depth colormap | left
// eye | right eye | red-cyan anaglyph, each downscaled to one tile size.
#pragma once
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "preview/colormap.hpp"

namespace s3d::preview {

struct SheetRow {
  std::string label;                             // e.g. "frame 85 (2.833 s), depth kept"
  cv::Mat depth_colour, left, right, anaglyph;   // 8-bit BGR, any sizes (each fitted to a tile)
};

struct SheetLayout {
  cv::Size tile;          // every picture's size in the sheet
  int gap = 0;            // px between tiles and around them
  int header_height = 0;  // px above the first row: parameter lines, legend, column titles
  int row_height = 0;     // px per row: its label and its tiles
  cv::Size size;          // the whole sheet
};

constexpr int kSheetColumns = 4;  // depth, left, right, anaglyph

// The tiles' size for frames of `frame` size: `tile_width` wide (never wider than the
// frame), the frame's aspect ratio.
cv::Size sheet_tile(cv::Size frame, int tile_width);

// The layout of a sheet of `rows` rows of `frame`-sized pictures whose header holds
// `header_lines` lines of parameters.
SheetLayout sheet_layout(cv::Size frame, int rows, int header_lines, int tile_width);

// `items` ("KEY=VALUE" words) joined into lines that fit `width` px in the sheet's font.
std::vector<std::string> wrap_header(const std::vector<std::string>& items, int width);

struct ContactSheet {
  cv::Mat image;  // 8-bit BGR
  SheetLayout layout;
};

// The sheet of `rows` (at least one; tiles sized for the first row's left eye), headed by
// `title` and the wrapped `items`, with a horizontal legend of `map` (`labels`).
ContactSheet contact_sheet(const std::vector<SheetRow>& rows, const std::string& title,
                           const std::vector<std::string>& items, int tile_width, Colormap map,
                           const LegendLabels& labels);

}  // namespace s3d::preview
