#include "parallax/black_bars.hpp"

#include <algorithm>

namespace s3d::parallax {

const EnumNames<KeepBars>& keep_bars_names() {
  static const EnumNames<KeepBars> names = {{KeepBars::kAuto, "auto"}, {KeepBars::kOff, "off"}};
  return names;
}

namespace {

bool row_is_black(const cv::Mat& frame, int y) {
  const uchar* p = frame.ptr<uchar>(y);
  const int n = frame.cols * frame.channels();
  return std::all_of(p, p + n, [](uchar v) { return v <= kBarBlackLevel; });
}

bool column_is_black(const cv::Mat& frame, int x, int y0, int y1) {
  const int c = frame.channels();
  for (int y = y0; y < y1; ++y) {
    const uchar* p = frame.ptr<uchar>(y) + x * c;
    for (int k = 0; k < c; ++k)
      if (p[k] > kBarBlackLevel) return false;
  }
  return true;
}

int keep_if_bar(int size, int limit) { return size >= kMinBarSize && size <= limit ? size : 0; }

}  // namespace

FrameBars detect_black_bars(const cv::Mat& frame) {
  CV_Assert(frame.depth() == CV_8U);
  FrameBars bars;
  const int rows = frame.rows, cols = frame.cols;
  int top = 0, bottom = 0;
  while (top < rows && row_is_black(frame, top)) ++top;
  if (top == rows) return bars;  // black throughout: nothing to tell bars from picture
  while (bottom < rows - top && row_is_black(frame, rows - 1 - bottom)) ++bottom;
  bars.top = keep_if_bar(top, rows * 2 / 5);
  bars.bottom = keep_if_bar(bottom, rows * 2 / 5);
  // Columns are judged on the rows between the letterbox bars (a windowboxed film has both).
  const int y0 = bars.top, y1 = rows - bars.bottom;
  int left = 0, right = 0;
  while (left < cols && column_is_black(frame, left, y0, y1)) ++left;
  while (right < cols - left && column_is_black(frame, cols - 1 - right, y0, y1)) ++right;
  bars.left = keep_if_bar(left, cols * 2 / 5);
  bars.right = keep_if_bar(right, cols * 2 / 5);
  return bars;
}

namespace {

template <class Fn>
void for_each_bar(cv::Size size, const FrameBars& bars, Fn fn) {
  if (bars.top) fn(cv::Rect(0, 0, size.width, bars.top));
  if (bars.bottom) fn(cv::Rect(0, size.height - bars.bottom, size.width, bars.bottom));
  if (bars.left) fn(cv::Rect(0, 0, bars.left, size.height));
  if (bars.right) fn(cv::Rect(size.width - bars.right, 0, bars.right, size.height));
}

}  // namespace

void flatten_bars(const cv::Mat& depth, const FrameBars& bars, float screen_depth, cv::Mat& out) {
  depth.copyTo(out);
  for_each_bar(depth.size(), bars, [&](const cv::Rect& r) { out(r).setTo(screen_depth); });
}

void restore_bars(const cv::Mat& frame, const FrameBars& bars, cv::Mat& view) {
  CV_Assert(view.size() == frame.size() && view.type() == frame.type());
  for_each_bar(frame.size(), bars, [&](const cv::Rect& r) { frame(r).copyTo(view(r)); });
}

}  // namespace s3d::parallax
