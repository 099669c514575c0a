#include "parallax/article_methods.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

namespace s3d::parallax {

cv::Mat remap_view(const cv::Mat& image, const cv::Mat& depth, ViewShift shift, int interpolation) {
  CV_Assert(depth.type() == CV_32FC1 && depth.size() == image.size());
  const int w = image.cols;
  cv::Mat map_x(image.size(), CV_32FC1), map_y(image.size(), CV_32FC1);
  const float last = static_cast<float>(w - 1);
  for (int y = 0; y < image.rows; ++y) {
    const float* d = depth.ptr<float>(y);
    float* mx = map_x.ptr<float>(y);
    float* my = map_y.ptr<float>(y);
    for (int x = 0; x < w; ++x) {
      // Same float operations as the article (x -/+ depth * scale) so results match it.
      mx[x] = std::clamp(static_cast<float>(x) - shift.dx(d[x]), 0.0f, last);
      my[x] = static_cast<float>(y);
    }
  }
  cv::Mat out;
  cv::remap(image, out, map_x, map_y, interpolation);
  return out;
}

cv::Mat shift_view(const cv::Mat& image, const cv::Mat& depth, ViewShift shift, int inpaint_radius) {
  CV_Assert(depth.type() == CV_32FC1 && depth.size() == image.size());
  const int w = image.cols;
  const size_t pixel = image.elemSize();
  cv::Mat out = cv::Mat::zeros(image.size(), image.type());
  cv::Mat missing = cv::Mat::zeros(image.size(), CV_8UC1);
  for (int y = 0; y < image.rows; ++y) {
    const float* d = depth.ptr<float>(y);
    const uchar* src = image.ptr<uchar>(y);
    uchar* dst = out.ptr<uchar>(y);
    uchar* miss = missing.ptr<uchar>(y);
    for (int x = 0; x < w; ++x) {
      // nearbyint rounds halves to even, like numpy's round in the article.
      const int xs = x - static_cast<int>(std::nearbyint(shift.dx(d[x])));
      if (xs < 0 || xs >= w) {
        miss[x] = 255;
      } else {
        std::copy(src + xs * pixel, src + (xs + 1) * pixel, dst + x * pixel);
      }
    }
  }
  // The article's own inpainting: OpenCV's Telea fast marching.
  cv::Mat filled;
  cv::inpaint(out, missing, filled, inpaint_radius, cv::INPAINT_TELEA);
  return filled;
}

}  // namespace s3d::parallax
