#include "parallax/depth_input.hpp"

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/errors.hpp"
#include "imageio/image_file.hpp"

namespace s3d::parallax {
namespace {

std::string describe_type(const cv::Mat& m) {
  const int depth = m.depth();
  const char* bits = depth == CV_8U ? "8-bit" : depth == CV_16U ? "16-bit" : depth == CV_32F ? "32-bit float"
                                                                                            : "non-integer";
  return std::string(bits) + " with " + std::to_string(m.channels()) + " channel(s)";
}

}  // namespace

const OptionTable<DepthShaping>& DepthShaping::table() {
  static const auto table =
      OptionTable<DepthShaping>()
          .number("edge-dilation", &DepthShaping::edge_dilation, Bounds{0, 64},
                  "Grow near regions of the depth map by N px before warping (keeps foreground edges whole with "
                  "estimated depth; 2-3 is typical)")
          .number("depth-blur", &DepthShaping::blur_sigma, Bounds{0, 50},
                  "Gaussian blur sigma in px applied to the depth map after dilation, 0 = off", "SIGMA");
  return table;
}

cv::Mat read_depth(const fs::path& path) {
  cv::Mat raw;
  read_depth_into(path, raw);
  return raw;
}

void read_depth_into(const fs::path& path, cv::Mat& raw) {
  read_image_into(path, kReadUnchanged, raw);
  if ((raw.depth() != CV_8U && raw.depth() != CV_16U) || raw.channels() == 2)
    throw Error("depth map '" + path.string() + "': expected 8- or 16-bit grayscale, got " + describe_type(raw));
  if (raw.channels() > 1) cv::extractChannel(raw, raw, 0);
}

cv::Mat prepare_depth(const cv::Mat& raw, cv::Size size, const DepthShaping& shaping, const std::string& name) {
  cv::Mat depth;
  prepare_depth(raw, size, shaping, name, depth);
  return depth;
}

void prepare_depth(const cv::Mat& raw, cv::Size size, const DepthShaping& shaping, const std::string& name,
                   cv::Mat& depth) {
  if (raw.channels() != 1 || (raw.depth() != CV_8U && raw.depth() != CV_16U))
    throw Error("depth map '" + name + "': expected 8- or 16-bit grayscale, got " + describe_type(raw));
  raw.convertTo(depth, CV_32F, raw.depth() == CV_16U ? 1.0 / 65535.0 : 1.0 / 255.0);
  if (depth.size() != size) cv::resize(depth, depth, size, 0, 0, cv::INTER_LINEAR);
  shape_depth(depth, shaping);
}

void shape_depth(cv::Mat& depth, const DepthShaping& shaping, double scale_x, double scale_y) {
  if (shaping.edge_dilation > 0) {
    // The maximum is the nearest: dilation pushes near objects' edges outwards, so the
    // pixels of their (often mixed) outline move with them instead of tearing off.
    const auto side = [&](double scale) { return 2 * static_cast<int>(std::lround(shaping.edge_dilation * scale)) + 1; };
    cv::dilate(depth, depth, cv::getStructuringElement(cv::MORPH_RECT, {side(scale_x), side(scale_y)}));
  }
  if (shaping.blur_sigma > 0)
    cv::GaussianBlur(depth, depth, {0, 0}, shaping.blur_sigma * scale_x, shaping.blur_sigma * scale_y);
}

}  // namespace s3d::parallax
