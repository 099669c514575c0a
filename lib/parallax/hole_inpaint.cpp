#include "parallax/hole_inpaint.hpp"

#include <cmath>
#include <limits>
#include <queue>
#include <vector>

namespace s3d::parallax {

cv::Mat inpaint_fast_marching(const cv::Mat& image, const cv::Mat& mask, int radius) {
  CV_Assert(image.type() == CV_8UC1 || image.type() == CV_8UC3);
  CV_Assert(mask.type() == CV_8UC1 && mask.size() == image.size() && radius >= 1);
  const int w = image.cols, h = image.rows, cn = image.channels();
  cv::Mat out = image.clone();
  // Arrival time: 0 on known pixels, the (city-block) distance to them inside the holes.
  const float kUnknown = std::numeric_limits<float>::infinity();
  std::vector<float> time(static_cast<size_t>(w) * h, 0.0f);
  std::vector<char> known(time.size(), 1);
  using Item = std::pair<float, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> band;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (mask.at<uchar>(y, x)) {
        known[y * w + x] = 0;
        time[y * w + x] = kUnknown;
      }
  const int dx4[4] = {1, -1, 0, 0}, dy4[4] = {0, 0, 1, -1};
  auto push_neighbours = [&](int x, int y) {
    for (int k = 0; k < 4; ++k) {
      const int nx = x + dx4[k], ny = y + dy4[k];
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const int n = ny * w + nx;
      if (!known[n] && time[y * w + x] + 1 < time[n]) {
        time[n] = time[y * w + x] + 1;
        band.push({time[n], n});
      }
    }
  };
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (known[y * w + x]) {
        bool next_to_hole = false;
        for (int k = 0; k < 4; ++k) {
          const int nx = x + dx4[k], ny = y + dy4[k];
          next_to_hole |= nx >= 0 && ny >= 0 && nx < w && ny < h && !known[ny * w + nx];
        }
        if (next_to_hole) push_neighbours(x, y);
      }
  std::vector<double> sum(cn);
  while (!band.empty()) {
    const auto [t, p] = band.top();
    band.pop();
    if (known[p] || t > time[p]) continue;  // stale entry
    const int px = p % w, py = p / w;
    std::fill(sum.begin(), sum.end(), 0.0);
    double total = 0;
    for (int y = std::max(0, py - radius); y <= std::min(h - 1, py + radius); ++y)
      for (int x = std::max(0, px - radius); x <= std::min(w - 1, px + radius); ++x) {
        const int q = y * w + x;
        const double r2 = double(x - px) * (x - px) + double(y - py) * (y - py);
        if (!known[q] || r2 > double(radius) * radius) continue;
        const double weight = 1.0 / (r2 * (1.0 + std::abs(time[q] - t)));
        const uchar* c = out.ptr<uchar>(y) + x * cn;
        for (int k = 0; k < cn; ++k) sum[k] += weight * c[k];
        total += weight;
      }
    uchar* dst = out.ptr<uchar>(py) + px * cn;
    for (int k = 0; k < cn; ++k) dst[k] = cv::saturate_cast<uchar>(total > 0 ? sum[k] / total : 0);
    known[p] = 1;
    push_neighbours(px, py);
  }
  return out;
}

}  // namespace s3d::parallax
