#include "depth_stage/heuristic_depth.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/errors.hpp"
#include "depth_stage/depth_quality.hpp"
#include "depth_stage/guided_filter.hpp"

namespace s3d::depth_stage {
namespace {

// Mean |band-pass| (gray in 0..1) at which the sharpness cue reaches 1 - 1/e: a crisp,
// contrasted texture is above it, a defocused or hazy one well below, sensor noise
// (sigma 2 levels) near 0.002, an order of magnitude below.
constexpr double kSharpnessScale = 0.02;

cv::Size scaled_size(cv::Size frame, int width) {
  const int w = std::min(width, frame.width);
  const int h = std::max(1, static_cast<int>(std::lround(static_cast<double>(frame.height) * w / frame.width)));
  return {w, h};
}

cv::Mat gray_unit(const cv::Mat& bgr) {
  cv::Mat gray, out;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  gray.convertTo(out, CV_32F, 1.0 / 255);
  return out;
}

// Fine-detail energy: the mean |difference of Gaussians| (sigma 0.7 vs 1.4) measured at
// `detail` resolution, averaged down to the work size, mapped to 0..1 by a fixed (not
// per-frame) curve. The band-pass sees texture that defocus removes but little pixel noise,
// which a plain Laplacian would mistake for detail (and make depth flicker with grain).
cv::Mat sharpness_cue(const cv::Mat& detail_gray, cv::Size work) {
  cv::Mat fine, coarse;
  cv::GaussianBlur(detail_gray, fine, cv::Size(0, 0), 0.7, 0, cv::BORDER_REFLECT);
  cv::GaussianBlur(detail_gray, coarse, cv::Size(0, 0), 1.4, 0, cv::BORDER_REFLECT);
  const cv::Mat band = cv::abs(fine - coarse);
  cv::Mat energy;
  cv::resize(band, energy, work, 0, 0, cv::INTER_AREA);
  cv::blur(energy, energy, cv::Size(3, 3), cv::Point(-1, -1), cv::BORDER_REFLECT);
  cv::Mat cue;
  cv::exp(energy * (-1.0 / kSharpnessScale), cue);
  return 1.0 - cue;
}

// Aerial perspective: haze raises the darkest channel of a patch (the dark channel prior),
// so a low dark channel (saturated or contrasted colour) means little haze, i.e. nearer.
cv::Mat haze_cue(const std::vector<cv::Mat>& channels) {
  cv::Mat dark = cv::min(cv::min(channels[0], channels[1]), channels[2]);
  cv::erode(dark, dark, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)), cv::Point(-1, -1), 1,
            cv::BORDER_REFLECT);
  cv::Mat cue;
  dark.convertTo(cue, CV_32F, -1.0 / 255, 1.0);
  return cue;
}

// Relative brightness: the brightest channel (HSV value, 0..1: a saturated colour counts as
// bright as a white one, so haze — a grey veil — adds little), smoothed over ~1/80 of the
// width so that the lighting of a surface counts, not its texture.
cv::Mat brightness_cue(const std::vector<cv::Mat>& channels) {
  cv::Mat value = cv::max(cv::max(channels[0], channels[1]), channels[2]), cue;
  value.convertTo(cue, CV_32F, 1.0 / 255);
  cv::GaussianBlur(cue, cue, cv::Size(0, 0), channels[0].cols / 80.0, 0, cv::BORDER_REFLECT);
  return cue;
}


}  // namespace

void HeuristicDepthOptions::check() const {
  if (work_width < 64 || work_width > 1024)
    throw UsageError("heuristic work width: expected 64..1024, got " + std::to_string(work_width));
  if (weight_vertical < 0 || weight_brightness < 0 || weight_sharpness < 0 || weight_haze < 0 ||
      weight_vertical + weight_brightness + weight_sharpness + weight_haze <= 0)
    throw UsageError("heuristic cue weights: expected >= 0 with a positive sum");
  if (smooth_radius < 1) throw UsageError("heuristic smooth radius: expected >= 1, got " + std::to_string(smooth_radius));
  if (!(smooth_eps > 0)) throw UsageError("heuristic smooth eps: expected > 0");
}

HeuristicDepth::HeuristicDepth(HeuristicDepthOptions options) : options_(options) { options_.check(); }

std::vector<cv::Mat> HeuristicDepth::estimate(const std::vector<cv::Mat>& bgr_frames) {
  std::vector<cv::Mat> out;
  out.reserve(bgr_frames.size());
  for (const auto& frame : bgr_frames) out.push_back(estimate_one(frame));
  return out;
}

std::vector<DepthField> HeuristicDepth::estimate_fields(const std::vector<cv::Mat>& bgr_frames) {
  std::vector<DepthField> out;
  out.reserve(bgr_frames.size());
  for (const auto& frame : bgr_frames) out.push_back(estimate_field(frame));
  return out;
}

cv::Mat HeuristicDepth::estimate_one(const cv::Mat& bgr) const { return render_field(estimate_field(bgr), bgr); }

DepthField HeuristicDepth::estimate_field(const cv::Mat& bgr) const {
  if (bgr.empty() || bgr.type() != CV_8UC3)
    throw Error("heuristic depth: expected a non-empty 8-bit BGR frame, got type " + std::to_string(bgr.type()) +
                " of " + std::to_string(bgr.cols) + "x" + std::to_string(bgr.rows));
  const cv::Size work = scaled_size(bgr.size(), options_.work_width);
  const cv::Size detail = scaled_size(bgr.size(), 2 * options_.work_width);

  cv::Mat detail_bgr, work_bgr;
  cv::resize(bgr, detail_bgr, detail, 0, 0, cv::INTER_AREA);
  cv::resize(detail_bgr, work_bgr, work, 0, 0, cv::INTER_AREA);

  const double total =
      options_.weight_vertical + options_.weight_brightness + options_.weight_sharpness + options_.weight_haze;
  const cv::Mat work_gray = gray_unit(work_bgr);
  std::vector<cv::Mat> channels;  // B, G, R at the work size: the brightness and haze cues'
  cv::split(work_bgr, channels);
  cv::Mat cues = vertical_prior(work) * (options_.weight_vertical / total) +
                 brightness_cue(channels) * (options_.weight_brightness / total) +
                 sharpness_cue(gray_unit(detail_bgr), work) * (options_.weight_sharpness / total) +
                 haze_cue(channels) * (options_.weight_haze / total);

  // Edge-aware smoothing at the work size, then the same linear model applied to the
  // full-resolution guide: depth edges land on image edges without full-size filtering.
  const GuidedModel model = fit_guided_model(work_gray, cues, options_.smooth_radius, options_.smooth_eps);
  // Rendered on the full-resolution guide, lightly smoothed so that sensor grain does not
  // pass into the depth through the model's a * guide term (render_field, kGuided).
  return {DepthField::Kind::kGuided, model.a, model.b};
}

}  // namespace s3d::depth_stage
