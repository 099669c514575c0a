#include "support/image_compare.hpp"

#include <cstdio>

namespace s3d::test {

Comparison compare_images(const cv::Mat& expected, const cv::Mat& actual, const Tolerance& t) {
  Comparison c;
  char line[512];
  if (expected.size() != actual.size() || expected.channels() != actual.channels()) {
    std::snprintf(line, sizeof line, "images differ in shape: expected %dx%d with %d channels, got %dx%d with %d",
                  expected.cols, expected.rows, expected.channels(), actual.cols, actual.rows, actual.channels());
    c.report = line;
    return c;
  }
  cv::Mat a, b, diff;
  expected.convertTo(a, CV_64F);
  actual.convertTo(b, CV_64F);
  cv::absdiff(a, b, diff);
  diff = diff.reshape(1);
  cv::minMaxLoc(diff, nullptr, &c.max_diff);
  c.mean_diff = diff.total() ? cv::mean(diff)[0] : 0;
  const double values = static_cast<double>(diff.total());
  c.failed_fraction = values > 0 ? cv::countNonZero(diff > t.fail) / values : 0;
  c.passed = c.max_diff <= t.hard_fail && c.failed_fraction <= t.fail_fraction;
  std::snprintf(line, sizeof line,
                "%s: max diff %.6g, mean %.6g, %.4f%% of values above %.6g (policy '%s': fail %.6g, at most %.4f%% "
                "failing, hard fail %.6g)",
                c.passed ? "match" : "MISMATCH", c.max_diff, c.mean_diff, 100 * c.failed_fraction, t.fail, t.name,
                t.fail, 100 * t.fail_fraction, t.hard_fail);
  c.report = line;
  return c;
}

}  // namespace s3d::test
