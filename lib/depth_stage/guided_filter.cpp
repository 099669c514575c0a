#include "depth_stage/guided_filter.hpp"

#include <algorithm>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace s3d::depth_stage {
namespace {

cv::Mat box_mean(const cv::Mat& m, int radius) {
  cv::Mat out;
  cv::boxFilter(m, out, CV_32F, cv::Size(2 * radius + 1, 2 * radius + 1), cv::Point(-1, -1), true,
                cv::BORDER_REFLECT);
  return out;
}

}  // namespace

GuidedModel fit_guided_model(const cv::Mat& guide, const cv::Mat& src, int radius, double eps) {
  CV_Assert(guide.type() == CV_32FC1 && src.type() == CV_32FC1 && guide.size() == src.size());
  const cv::Mat mean_i = box_mean(guide, radius);
  const cv::Mat mean_p = box_mean(src, radius);
  const cv::Mat var_i = box_mean(guide.mul(guide), radius) - mean_i.mul(mean_i);
  const cv::Mat cov_ip = box_mean(guide.mul(src), radius) - mean_i.mul(mean_p);
  cv::Mat a = cov_ip / (var_i + eps);
  cv::Mat b = mean_p - a.mul(mean_i);
  return {box_mean(a, radius), box_mean(b, radius)};
}

namespace {

// Bilinear sampling positions along one axis (pixel centres aligned, edges clamped).
struct Taps {
  std::vector<int> i0, i1;
  std::vector<float> w;
};

Taps bilinear_taps(int from, int to) {
  Taps t;
  const double scale = static_cast<double>(from) / to;
  for (int d = 0; d < to; ++d) {
    const double s = std::clamp((d + 0.5) * scale - 0.5, 0.0, static_cast<double>(from - 1));
    const int i0 = static_cast<int>(s);
    t.i0.push_back(i0);
    t.i1.push_back(std::min(i0 + 1, from - 1));
    t.w.push_back(static_cast<float>(s - i0));
  }
  return t;
}

}  // namespace

cv::Mat apply_guided_model(const GuidedModel& model, const cv::Mat& bgr) {
  CV_Assert((bgr.type() == CV_8UC3 || bgr.type() == CV_8UC1) && model.a.type() == CV_32FC1 &&
            model.b.type() == CV_32FC1);
  // Horizontal upsampling on the few low-resolution rows first; then every output row is a
  // vertical blend of two full-width rows, a contiguous loop the compiler vectorizes.
  const Taps xs = bilinear_taps(model.a.cols, bgr.cols), ys = bilinear_taps(model.a.rows, bgr.rows);
  cv::Mat wide_a(model.a.rows, bgr.cols, CV_32FC1), wide_b(model.b.rows, bgr.cols, CV_32FC1);
  for (int y = 0; y < model.a.rows; ++y) {
    const float *a = model.a.ptr<float>(y), *b = model.b.ptr<float>(y);
    float *wa = wide_a.ptr<float>(y), *wb = wide_b.ptr<float>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      wa[x] = a[xs.i0[x]] + (a[xs.i1[x]] - a[xs.i0[x]]) * xs.w[x];
      wb[x] = b[xs.i0[x]] + (b[xs.i1[x]] - b[xs.i0[x]]) * xs.w[x];
    }
  }
  cv::Mat out(bgr.size(), CV_32FC1);
  cv::parallel_for_(cv::Range(0, bgr.rows), [&](const cv::Range& rows) {
    cv::Mat gray(1, bgr.cols, CV_8UC1);
    for (int y = rows.start; y < rows.end; ++y) {
      const uint8_t* g = bgr.ptr<uint8_t>(y);
      if (bgr.channels() == 3) {
        cv::cvtColor(bgr.row(y), gray, cv::COLOR_BGR2GRAY);
        g = gray.ptr<uint8_t>(0);
      }
      const float wy = ys.w[y];
      const float *a0 = wide_a.ptr<float>(ys.i0[y]), *a1 = wide_a.ptr<float>(ys.i1[y]);
      const float *b0 = wide_b.ptr<float>(ys.i0[y]), *b1 = wide_b.ptr<float>(ys.i1[y]);
      float* dst = out.ptr<float>(y);
      for (int x = 0; x < bgr.cols; ++x) {
        const float a = a0[x] + (a1[x] - a0[x]) * wy;
        const float b = b0[x] + (b1[x] - b0[x]) * wy;
        dst[x] = a * (g[x] * (1.0f / 255)) + b;
      }
    }
  });
  return out;
}

}  // namespace s3d::depth_stage
