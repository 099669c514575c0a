#include "preview/colormap.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace s3d::preview {
namespace {

int cv_map(Colormap map) {
  switch (map) {
    case Colormap::kInferno: return cv::COLORMAP_INFERNO;
    case Colormap::kMagma: return cv::COLORMAP_MAGMA;
    case Colormap::kTurbo: break;
  }
  return cv::COLORMAP_TURBO;
}

// The 256 entries of the map, as a 256 x 1 BGR column.
const cv::Mat& lut(Colormap map) {
  static const auto make = [](Colormap m) {
    cv::Mat levels(256, 1, CV_8UC1);
    for (int i = 0; i < 256; ++i) levels.at<uchar>(i) = static_cast<uchar>(i);
    cv::Mat colours;
    cv::applyColorMap(levels, colours, cv_map(m));
    return colours;
  };
  static const cv::Mat turbo = make(Colormap::kTurbo), inferno = make(Colormap::kInferno),
                       magma = make(Colormap::kMagma);
  switch (map) {
    case Colormap::kInferno: return inferno;
    case Colormap::kMagma: return magma;
    case Colormap::kTurbo: break;
  }
  return turbo;
}

int level_of(double d) { return static_cast<int>(std::lround(std::clamp(d, 0.0, 1.0) * 255.0)); }

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
const cv::Scalar kText(235, 235, 235);
const cv::Scalar kBackground(32, 32, 32);

// Text scale for a legend of `size` px (its height, or a strip's height): readable at 180 rows, not huge at 2160.
double text_scale(int size) { return std::clamp(size / 1350.0, 0.35, 1.6); }
int text_thickness(double scale) { return scale >= 0.9 ? 2 : 1; }

void put(cv::Mat& image, const std::string& text, cv::Point origin, double scale) {
  cv::putText(image, text, origin, kFont, scale, kText, text_thickness(scale), cv::LINE_AA);
}

int text_height(double scale) {
  int baseline = 0;
  return cv::getTextSize("Ag", kFont, scale, text_thickness(scale), &baseline).height;
}
int text_width(const std::string& text, double scale) {
  int baseline = 0;
  return cv::getTextSize(text, kFont, scale, text_thickness(scale), &baseline).width;
}

}  // namespace

const EnumNames<Colormap>& colormap_names() {
  static const EnumNames<Colormap> names = {
      {Colormap::kTurbo, "turbo"}, {Colormap::kInferno, "inferno"}, {Colormap::kMagma, "magma"}};
  return names;
}

cv::Vec3b colormap_color(double d, Colormap map) { return lut(map).at<cv::Vec3b>(level_of(d)); }

cv::Mat colorize_depth(const cv::Mat& depth, Colormap map) {
  CV_Assert(depth.type() == CV_32FC1);
  cv::Mat levels;
  depth.convertTo(levels, CV_8U, 255.0);  // rounds to nearest, saturates outside [0, 1]
  cv::Mat colour;
  cv::applyColorMap(levels, colour, cv_map(map));
  return colour;
}

int legend_width(int height) { return std::max(96, static_cast<int>(std::lround(height * 0.16))); }

LegendBar legend_bar(int height) {
  const int width = legend_width(height);
  LegendBar bar;
  bar.left = width / 10;
  bar.width = std::max(8, width / 5);
  const int margin = std::max(4, height / 16);
  bar.top = std::min(margin, height / 2 - 1);
  bar.bottom = std::max(bar.top + 2, height - bar.top);
  return bar;
}

cv::Mat with_legend(const cv::Mat& colour, Colormap map, const LegendLabels& labels) {
  CV_Assert(colour.type() == CV_8UC3 && colour.rows >= 4);
  const int height = colour.rows, width = legend_width(height);
  cv::Mat out(height, colour.cols + width, CV_8UC3, kBackground);
  colour.copyTo(out(cv::Rect(0, 0, colour.cols, height)));
  cv::Mat legend = out(cv::Rect(colour.cols, 0, width, height));
  const LegendBar bar = legend_bar(height);
  const cv::Mat& entries = lut(map);
  const int span = std::max(1, bar.bottom - 1 - bar.top);
  for (int y = bar.top; y < bar.bottom; ++y) {
    const double d = 1.0 - static_cast<double>(y - bar.top) / span;  // top row 1 (near), last row 0 (far)
    legend(cv::Rect(bar.left, y, bar.width, 1)).setTo(cv::Scalar(entries.at<cv::Vec3b>(level_of(d))));
  }
  const double scale = text_scale(height);
  const int th = text_height(scale), gap = std::max(2, th / 2);
  const int x = bar.left + bar.width + std::max(3, width / 20);
  put(legend, "near", {x, bar.top + th}, scale);
  if (!labels.near_note.empty()) put(legend, labels.near_note, {x, bar.top + 2 * th + gap}, scale);
  const int far_base = bar.bottom - 1 - (labels.far_note.empty() ? 0 : th + gap);
  put(legend, "far", {x, far_base}, scale);
  if (!labels.far_note.empty()) put(legend, labels.far_note, {x, bar.bottom - 1}, scale);
  if (labels.screen && *labels.screen > 0 && *labels.screen < 1) {
    const int y = bar.top + static_cast<int>(std::lround((1.0 - *labels.screen) * span));
    cv::line(legend, {bar.left - 2, y}, {bar.left + bar.width + 1, y}, kText, 1);
    put(legend, "screen", {x, std::clamp(y + th / 2, bar.top + 3 * th, far_base - 2 * th)}, scale);
  }
  return out;
}

cv::Mat horizontal_legend(int width, int height, Colormap map, const LegendLabels& labels) {
  CV_Assert(width >= 16 && height >= 8);
  cv::Mat out(height, width, CV_8UC3, kBackground);
  const double scale = text_scale(height * 6);
  const std::string far = "far" + (labels.far_note.empty() ? "" : " " + labels.far_note);
  const std::string near = "near" + (labels.near_note.empty() ? "" : " " + labels.near_note);
  const int pad = std::max(4, height / 4);
  const int left = pad + text_width(far, scale) + pad, right = width - pad - text_width(near, scale) - pad;
  const int baseline = (height + text_height(scale)) / 2;
  put(out, far, {pad, baseline}, scale);
  put(out, near, {right + pad, baseline}, scale);
  if (right - left < 2) return out;
  const cv::Mat& entries = lut(map);
  for (int x = left; x < right; ++x) {
    const double d = static_cast<double>(x - left) / (right - 1 - left);
    out(cv::Rect(x, pad / 2, 1, height - pad)).setTo(cv::Scalar(entries.at<cv::Vec3b>(level_of(d))));
  }
  if (labels.screen && *labels.screen > 0 && *labels.screen < 1) {
    const int x = left + static_cast<int>(std::lround(*labels.screen * (right - 1 - left)));
    cv::line(out, {x, 0}, {x, height - 1}, kText, 1);
  }
  return out;
}

}  // namespace s3d::preview
