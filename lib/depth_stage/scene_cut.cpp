#include "depth_stage/scene_cut.hpp"

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace s3d::depth_stage {

cv::Mat scene_signature(const cv::Mat& bgr) {
  CV_Assert(bgr.type() == CV_8UC3 && !bgr.empty());
  const int w = std::min(64, bgr.cols);
  const int h = std::max(1, bgr.rows * w / bgr.cols);
  cv::Mat small, hsv, hist;
  cv::resize(bgr, small, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  cv::cvtColor(small, hsv, cv::COLOR_BGR2HSV);
  const int channels[] = {0, 1, 2};
  const int bins[] = {8, 4, 4};
  const float hue[] = {0, 180}, sat[] = {0, 256}, val[] = {0, 256};
  const float* ranges[] = {hue, sat, val};
  cv::calcHist(&hsv, 1, channels, cv::Mat(), hist, 3, bins, ranges);
  hist /= static_cast<double>(w) * h;
  return hist;
}

double scene_distance(const cv::Mat& a, const cv::Mat& b) {
  return std::clamp(cv::compareHist(a, b, cv::HISTCMP_BHATTACHARYYA), 0.0, 1.0);
}

}  // namespace s3d::depth_stage
