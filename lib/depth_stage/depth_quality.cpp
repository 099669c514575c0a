#include "depth_stage/depth_quality.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/errors.hpp"
#include "imageio/image_file.hpp"

namespace s3d::depth_stage {
namespace {

// Ranks with ties given their average rank (the ground truth has few disparity levels).
std::vector<double> ranks_of(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && v[order[j]] == v[order[i]]) ++j;
    for (size_t k = i; k < j; ++k) rank[order[k]] = (i + j - 1) / 2.0;
    i = j;
  }
  return rank;
}

cv::Mat read_checked(const std::filesystem::path& path, int flags) {
  if (!std::filesystem::is_regular_file(path)) throw Error("ground truth: missing file '" + path.string() + "'");
  return read_image(path, flags);
}

}  // namespace

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2)
    throw Error("spearman: expected two samples of one size >= 2, got " + std::to_string(a.size()) + " and " +
                std::to_string(b.size()));
  const auto ra = ranks_of(a), rb = ranks_of(b);
  const double n = static_cast<double>(ra.size());
  double ma = 0, mb = 0;
  for (size_t i = 0; i < ra.size(); ++i) ma += ra[i] / n, mb += rb[i] / n;
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    ab += (ra[i] - ma) * (rb[i] - mb);
    aa += (ra[i] - ma) * (ra[i] - ma);
    bb += (rb[i] - mb) * (rb[i] - mb);
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

std::vector<GroundTruthScene> load_middlebury(const std::filesystem::path& dir) {
  struct Files {
    const char *name, *image, *disparity;
  };
  std::vector<GroundTruthScene> scenes;
  for (const Files& f : {Files{"tsukuba", "im3.png", "disp3.pgm"}, Files{"venus", "im2.png", "disp2.pgm"}}) {
    GroundTruthScene s;
    s.name = f.name;
    s.image = read_checked(dir / f.name / f.image, kReadColor);
    const cv::Mat disparity = read_checked(dir / f.name / f.disparity, kReadUnchanged);
    const cv::Mat nonocc = read_checked(dir / f.name / "nonocc.png", kReadUnchanged);
    if (disparity.size() != s.image.size() || nonocc.size() != s.image.size() || disparity.channels() != 1)
      throw Error("ground truth '" + (dir / f.name).string() + "': expected the picture's size for its disparity "
                  "and mask, got other sizes");
    disparity.convertTo(s.truth, CV_32F);
    cv::Mat gray = nonocc;
    if (gray.channels() != 1) cv::extractChannel(nonocc, gray, 0);
    s.mask = (gray == 255) & (disparity > 0);
    scenes.push_back(std::move(s));
  }
  return scenes;
}

double depth_order_agreement(const cv::Mat& depth, const GroundTruthScene& scene) {
  CV_Assert(depth.type() == CV_32FC1 && depth.size() == scene.truth.size());
  std::vector<double> ours, truth;
  for (int y = 0; y < depth.rows; ++y)
    for (int x = 0; x < depth.cols; ++x)
      if (scene.mask.at<uint8_t>(y, x)) {
        ours.push_back(depth.at<float>(y, x));
        truth.push_back(scene.truth.at<float>(y, x));
      }
  return spearman(ours, truth);
}

cv::Mat vertical_prior(cv::Size size) {
  cv::Mat prior(size, CV_32F);
  for (int y = 0; y < size.height; ++y)
    prior.row(y).setTo(size.height > 1 ? static_cast<float>(y) / (size.height - 1) : 0.5f);
  return prior;
}

}  // namespace s3d::depth_stage
