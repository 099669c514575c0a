#include "preview/contact_sheet.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/errors.hpp"

namespace s3d::preview {
namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kScale = 0.5;
constexpr int kThickness = 1;
constexpr int kGap = 8;
const cv::Scalar kBackground(24, 24, 24), kText(235, 235, 235), kDim(170, 170, 170);

int line_height() {
  int baseline = 0;
  return cv::getTextSize("Ag", kFont, kScale, kThickness, &baseline).height + baseline + 6;
}
int text_width(const std::string& text) {
  int baseline = 0;
  return cv::getTextSize(text, kFont, kScale, kThickness, &baseline).width;
}
int legend_height() { return line_height() + 6; }

void put(cv::Mat& image, const std::string& text, int x, int top, const cv::Scalar& colour = kText) {
  int baseline = 0;
  const int ascent = cv::getTextSize("Ag", kFont, kScale, kThickness, &baseline).height;
  cv::putText(image, text, {x, top + ascent + 2}, kFont, kScale, colour, kThickness, cv::LINE_AA);
}

void put_tile(cv::Mat& sheet, const cv::Mat& picture, cv::Rect where) {
  if (picture.empty()) return;
  cv::Mat bgr = picture;
  if (picture.channels() == 1) cv::cvtColor(picture, bgr, cv::COLOR_GRAY2BGR);
  // Fitted inside the tile, aspect kept (the depth colormap may carry its legend), centred.
  const double s = std::min(static_cast<double>(where.width) / bgr.cols, static_cast<double>(where.height) / bgr.rows);
  const cv::Size fit(std::max(1, static_cast<int>(std::lround(bgr.cols * s))),
                     std::max(1, static_cast<int>(std::lround(bgr.rows * s))));
  const cv::Rect target(where.x + (where.width - fit.width) / 2, where.y + (where.height - fit.height) / 2, fit.width,
                        fit.height);
  cv::resize(bgr, sheet(target), fit, 0, 0, cv::INTER_AREA);
}

}  // namespace

cv::Size sheet_tile(cv::Size frame, int tile_width) {
  const int width = std::clamp(tile_width, 16, std::max(16, frame.width));
  const int height = std::max(1, static_cast<int>(std::lround(static_cast<double>(frame.height) * width / frame.width)));
  return {width, height};
}

SheetLayout sheet_layout(cv::Size frame, int rows, int header_lines, int tile_width) {
  SheetLayout l;
  l.tile = sheet_tile(frame, tile_width);
  l.gap = kGap;
  const int line = line_height();
  // title + parameter lines, the legend, the column titles
  l.header_height = kGap + (1 + header_lines) * line + kGap + legend_height() + kGap + line;
  l.row_height = line + l.tile.height + kGap;
  l.size = {kSheetColumns * l.tile.width + (kSheetColumns + 1) * kGap, l.header_height + rows * l.row_height};
  return l;
}

std::vector<std::string> wrap_header(const std::vector<std::string>& items, int width) {
  std::vector<std::string> lines;
  std::string line;
  const auto add = [&](const std::string& piece, const char* separator) {
    const std::string candidate = line.empty() ? piece : line + separator + piece;
    if (!line.empty() && text_width(candidate) > width) {
      lines.push_back(line);
      line = piece;
    } else {
      line = candidate;
    }
  };
  for (const auto& item : items) {
    if (text_width(item) <= width) {
      add(item, "   ");
      continue;
    }
    // Too long for a line of its own: its words, the first on a fresh line.
    if (!line.empty()) lines.push_back(line);
    line.clear();
    size_t start = 0;
    while (start < item.size()) {
      size_t space = item.find(' ', start);
      if (space == std::string::npos) space = item.size();
      add(item.substr(start, space - start), " ");
      start = space + 1;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

ContactSheet contact_sheet(const std::vector<SheetRow>& rows, const std::string& title,
                           const std::vector<std::string>& items, int tile_width, Colormap map,
                           const LegendLabels& labels) {
  if (rows.empty() || rows.front().left.empty()) throw Error("contact sheet: no frames");
  const cv::Size frame = rows.front().left.size();
  const SheetLayout probe = sheet_layout(frame, 0, 0, tile_width);
  const auto lines = wrap_header(items, probe.size.width - 2 * kGap);
  ContactSheet sheet;
  sheet.layout = sheet_layout(frame, static_cast<int>(rows.size()), static_cast<int>(lines.size()), tile_width);
  const SheetLayout& l = sheet.layout;
  sheet.image = cv::Mat(l.size, CV_8UC3, kBackground);
  cv::Mat& image = sheet.image;
  const int line = line_height();
  int y = kGap;
  put(image, title, kGap, y);
  y += line;
  for (const auto& text : lines) {
    put(image, text, kGap, y, kDim);
    y += line;
  }
  y += kGap;
  horizontal_legend(std::min(l.size.width - 2 * kGap, 2 * l.tile.width + kGap), legend_height(), map, labels)
      .copyTo(image(cv::Rect(kGap, y, std::min(l.size.width - 2 * kGap, 2 * l.tile.width + kGap), legend_height())));
  y += legend_height() + kGap;
  const char* columns[kSheetColumns] = {"depth (near = warm)", "left eye", "right eye", "anaglyph (red = left)"};
  for (int c = 0; c < kSheetColumns; ++c) put(image, columns[c], kGap + c * (l.tile.width + kGap), y);
  for (size_t r = 0; r < rows.size(); ++r) {
    const int top = l.header_height + static_cast<int>(r) * l.row_height;
    put(image, rows[r].label, kGap, top, kDim);
    const cv::Mat* pictures[kSheetColumns] = {&rows[r].depth_colour, &rows[r].left, &rows[r].right, &rows[r].anaglyph};
    for (int c = 0; c < kSheetColumns; ++c)
      put_tile(image, *pictures[c], cv::Rect(kGap + c * (l.tile.width + kGap), top + line, l.tile.width, l.tile.height));
  }
  return sheet;
}

}  // namespace s3d::preview
