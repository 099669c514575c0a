// The network-free depth pieces: the heuristic estimator's cues on synthesized scenes,
// normalization arithmetic, scene-cut detection and the sidecar format.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/errors.hpp"
#include "depth_stage/depth_sidecar.hpp"
#include "depth_stage/depth_quality.hpp"
#include "depth_stage/heuristic_depth.hpp"
#include "depth_stage/normalization.hpp"
#include "depth_stage/scene_cut.hpp"
#include "support/image_compare.hpp"
#include "support/skip.hpp"
#include "support/test_support.hpp"

using namespace s3d;
using namespace s3d::depth_stage;

namespace {

// Smooth random texture in 0..255 (features of ~4 px), mean `mean`, amplitude `amp`.
cv::Mat texture(cv::Size size, int seed, double mean, double amp) {
  cv::RNG rng(seed);
  cv::Mat coarse(size.height / 4, size.width / 4, CV_32F);
  rng.fill(coarse, cv::RNG::UNIFORM, -1, 1);
  cv::Mat fine, out;
  cv::resize(coarse, fine, size, 0, 0, cv::INTER_CUBIC);
  fine.convertTo(out, CV_8U, amp, mean);
  return out;
}

cv::Mat gray_to_bgr(const cv::Mat& gray) {
  cv::Mat bgr;
  cv::cvtColor(gray, bgr, cv::COLOR_GRAY2BGR);
  return bgr;
}

// A distant backdrop: grey texture, defocused (Gaussian sigma 4 px) and veiled by bright haze.
cv::Mat hazy_background(cv::Size size, int seed) {
  cv::Mat bg = gray_to_bgr(texture(size, seed, 128, 50));
  cv::GaussianBlur(bg, bg, cv::Size(0, 0), 4);
  cv::addWeighted(bg, 0.5, cv::Mat(size, CV_8UC3, cv::Scalar(210, 205, 200)), 0.5, 0, bg);
  return bg;
}

// A near object: crisp, saturated orange texture.
cv::Mat sharp_object(cv::Size size, int seed) {
  const cv::Mat t = texture(size, seed, 0, 60);
  cv::Mat b, g, r, out;
  t.convertTo(b, CV_8U, 0.3, 40);
  t.convertTo(g, CV_8U, 0.6, 70);
  t.convertTo(r, CV_8U, 1.0, 150);
  cv::merge(std::vector<cv::Mat>{b, g, r}, out);
  return out;
}

double mean_of(const cv::Mat& m, const cv::Rect& r) { return cv::mean(m(r))[0]; }

}  // namespace

TEST_CASE("heuristic: a sharp, saturated object is nearer than a blurred, hazy background at the same height", "[unit]") {
  const cv::Size size(960, 540);
  cv::Mat scene = hazy_background(size, 1);
  const cv::Rect object(96, 162, 336, 216), backdrop(576, 162, 336, 216);  // same rows: no vertical cue
  sharp_object(size, 2)(object).copyTo(scene(object));
  const cv::Mat depth = HeuristicDepth().estimate_one(scene);
  // Outputs are about 0..1; the object should stand clearly out, not by a rounding margin
  // (0.15 when sharpness weighed 0.3; relative brightness, which sees the bright haze veil
  // as lit, now takes part of that weight: measured 0.09).
  CHECK(mean_of(depth, object) > mean_of(depth, backdrop) + 0.08);
  // Every interior pixel, not just the mean: ranked nearer than the backdrop's median.
  cv::Mat inner = depth(cv::Rect(object.x + 20, object.y + 20, object.width - 40, object.height - 40)).clone();
  double inner_min = 0;
  cv::minMaxLoc(inner, &inner_min);
  CHECK(inner_min > mean_of(depth, backdrop));
}

TEST_CASE("heuristic: depth edges follow the image edge", "[unit]") {
  const cv::Size size(960, 540);
  cv::Mat scene = hazy_background(size, 3);
  const cv::Rect object(96, 162, 336, 216);  // right edge between x = 431 and 432
  sharp_object(size, 4)(object).copyTo(scene(object));
  const cv::Mat depth = HeuristicDepth().estimate_one(scene);
  for (int y : {200, 270, 340}) {
    INFO("row " << y);
    // The steepest fall of depth across the edge region lies on the object's edge (within
    // 2 px at 960 px wide, i.e. under one pixel of the 320 px work grid).
    int steepest = -1;
    float drop = 0;
    for (int x = 380; x < 490; ++x) {
      const float d = depth.at<float>(y, x) - depth.at<float>(y, x + 1);
      if (d > drop) drop = d, steepest = x;
    }
    CHECK(steepest >= 429);
    CHECK(steepest <= 433);
  }
}

TEST_CASE("heuristic: on a uniform ground texture, lower in the frame is nearer", "[unit]") {
  const cv::Size size(640, 360);
  const cv::Mat depth = HeuristicDepth().estimate_one(gray_to_bgr(texture(size, 5, 128, 50)));
  const double top = mean_of(depth, cv::Rect(0, 0, 640, 90)), bottom = mean_of(depth, cv::Rect(0, 270, 640, 90));
  CHECK(bottom > top + 0.2);
  // Monotone on average: each band of rows nearer than the one above.
  double previous = -1e9;
  for (int band = 0; band < 6; ++band) {
    const double m = mean_of(depth, cv::Rect(0, band * 60, 640, 60));
    CHECK(m > previous);
    previous = m;
  }
}

TEST_CASE("heuristic: output is CV_32F at the frame size, deterministic, and rejects bad frames", "[unit]") {
  HeuristicDepth heuristic;
  for (cv::Size size : {cv::Size(1000, 37), cv::Size(50, 30), cv::Size(1, 1), cv::Size(1921, 1081)}) {
    INFO(size.width << "x" << size.height);
    const cv::Mat frame = sharp_object(cv::Size(std::max(size.width, 4), std::max(size.height, 4)), 9)(
        cv::Rect(0, 0, size.width, size.height)).clone();
    const auto out = heuristic.estimate({frame, frame});
    REQUIRE(out.size() == 2);
    CHECK(out[0].type() == CV_32FC1);
    CHECK(out[0].size() == size);
    CHECK(cv::checkRange(out[0]));
    S3D_CHECK_IMAGES_MATCH(out[0], out[1], test::kExact);  // bit-identical for identical input
    S3D_CHECK_IMAGES_MATCH(out[0], HeuristicDepth().estimate_one(frame), test::kExact);
    // Also with OpenCV on one thread: work split across threads must not change a bit.
    const int threads = cv::getNumThreads();
    cv::setNumThreads(1);
    const cv::Mat single = heuristic.estimate_one(frame);
    cv::setNumThreads(threads);
    S3D_CHECK_IMAGES_MATCH(out[0], single, test::kExact);
  }
  CHECK_THROWS_AS(heuristic.estimate_one(cv::Mat()), Error);
  CHECK_THROWS_AS(heuristic.estimate_one(cv::Mat(10, 10, CV_8UC1, cv::Scalar(0))), Error);
  HeuristicDepthOptions bad;
  bad.work_width = 10;
  CHECK_THROWS_AS(HeuristicDepth(bad), UsageError);
  CHECK(heuristic.name() == "heuristic");
}

TEST_CASE("normalize names parse, and anything else is a usage error naming the option", "[unit]") {
  const auto& names = normalize_names();
  CHECK(names.parse("frame", "--normalize") == Normalize::kFrame);
  CHECK(names.parse("window", "--normalize") == Normalize::kWindow);
  CHECK(names.parse("global", "--normalize") == Normalize::kGlobal);
  for (auto n : {Normalize::kFrame, Normalize::kWindow, Normalize::kGlobal}) CHECK(names.parse(names.name(n), "--normalize") == n);
  try {
    names.parse("minmax", "--normalize");
    FAIL("no exception");
  } catch (const UsageError& e) {
    CHECK_THAT(e.what(), Catch::Contains("--normalize") && Catch::Contains("minmax"));
  }
}

TEST_CASE("quantize_depth maps lo..hi to 0..65535, rounding half away from zero and clamping", "[unit]") {
  cv::Mat raw = (cv::Mat_<float>(1, 7) << 0.0f, 0.25f, 0.5f, 1.0f, -1.0f, 2.0f, 0.75f);
  const cv::Mat q = quantize_depth(raw, {0.0, 1.0});
  REQUIRE(q.type() == CV_16UC1);
  // 0.25 * 65535 = 16383.75 -> 16384; 0.5 * 65535 = 32767.5 -> 32768; 0.75 * 65535 = 49151.25 -> 49151.
  const std::vector<int> expected = {0, 16384, 32768, 65535, 0, 65535, 49151};
  for (int i = 0; i < 7; ++i) CHECK(q.at<uint16_t>(0, i) == expected[i]);
  // Offset range: raw 10..40, value 20 -> 1/3 * 65535 = 21845 exactly.
  cv::Mat r2 = (cv::Mat_<float>(1, 3) << 10.0f, 20.0f, 40.0f);
  const cv::Mat q2 = quantize_depth(r2, {10.0, 40.0});
  CHECK(q2.at<uint16_t>(0, 0) == 0);
  CHECK(q2.at<uint16_t>(0, 1) == 21845);
  CHECK(q2.at<uint16_t>(0, 2) == 65535);
  // A flat map has no depth order: all 0.
  CHECK(cv::countNonZero(quantize_depth(r2, {5.0, 5.0})) == 0);
  CHECK_THROWS_AS(raw_range(cv::Mat(2, 2, CV_32F, cv::Scalar(NAN)), "frame 7"), Error);
  const DepthRange r = raw_range(raw, "x");
  CHECK(r.lo == -1.0);
  CHECK(r.hi == 2.0);
}

TEST_CASE("window range: a peak hold for half the window, then released to a frame's width as it leaves", "[unit]") {
  RangeWindow w(4);
  // A wide frame, then narrow ones: its extremes are held for 2 frames, released by
  // ((3 - 2) / 2)^2 * 10 = 2.5 at 3 frames and by its whole width as it leaves the window —
  // by then the narrow frames bound the range, so its leaving changes nothing.
  CHECK(w.update({0, 10}, false) == DepthRange{0, 10});
  CHECK(w.update({4, 6}, false) == DepthRange{0, 10});
  CHECK(w.update({4, 6}, false) == DepthRange{0, 10});
  CHECK(w.update({4, 6}, false) == DepthRange{2.5, 7.5});
  CHECK(w.update({4, 6}, false) == DepthRange{4, 6});
  // Never clips the frame itself: a wider frame widens at once.
  CHECK(w.update({3, 7}, false) == DepthRange{3, 7});
  // The jitter of the extremes within the hold moves nothing.
  CHECK(w.update({3.5, 6.5}, false) == DepthRange{3, 7});
  CHECK(w.update({3.2, 6.9}, false) == DepthRange{3, 7});
  // Restart (a scene cut): the frame's own range.
  CHECK(w.update({50, 60}, true) == DepthRange{50, 60});
  w.reset();
  CHECK(w.update({1, 2}, false) == DepthRange{1, 2});
  // A window of one frame is the frame's own range.
  RangeWindow one(1);
  one.update({0, 10}, false);
  CHECK(one.update({2, 8}, false) == DepthRange{2, 8});
  CHECK_THROWS_AS(RangeWindow(0), UsageError);
}

TEST_CASE("remap_depth re-expresses a depth frame in another range within one level", "[unit]") {
  cv::Mat raw(1, 1000, CV_32F);
  for (int i = 0; i < raw.cols; ++i) raw.at<float>(0, i) = 2.0f + 3.0f * i / (raw.cols - 1);  // 2..5
  const DepthRange frame{2.0, 5.0}, wider{1.0, 7.0};
  const cv::Mat direct = quantize_depth(raw, wider);
  const cv::Mat remapped = remap_depth(quantize_depth(raw, frame), frame, wider);
  // Tolerance 1 level: the first quantization's error (<= 0.5 level of the narrower range)
  // shrinks by 3/6 and adds to the second's rounding.
  S3D_CHECK_IMAGES_MATCH(direct, remapped, test::kRounding8);
  // Hand-computed: from 0..1 to 0..2, full scale (raw 1) -> 32767.5 -> 32768.
  cv::Mat top(1, 1, CV_16UC1, cv::Scalar(65535));
  CHECK(remap_depth(top, {0, 1}, {0, 2}).at<uint16_t>(0, 0) == 32768);
}

TEST_CASE("scene cuts: different shots are far apart, the same shot with motion and noise is close", "[unit]") {
  const cv::Size size(320, 180);
  cv::Mat shot_a = hazy_background(size, 11);
  sharp_object(size, 12)(cv::Rect(20, 40, 100, 80)).copyTo(shot_a(cv::Rect(20, 40, 100, 80)));
  // Same shot, the object moved 30 px and sensor noise added.
  cv::Mat shot_a2 = hazy_background(size, 11);
  sharp_object(size, 12)(cv::Rect(20, 40, 100, 80)).copyTo(shot_a2(cv::Rect(50, 40, 100, 80)));
  cv::Mat noise(size, CV_8UC3);
  cv::randn(noise, 0, 4);
  shot_a2 += noise;
  // Another shot: a dark green scene.
  cv::Mat shot_b = gray_to_bgr(texture(size, 13, 60, 30));
  shot_b = shot_b.mul(cv::Scalar(0.5, 1.2, 0.4));
  const double same = scene_distance(scene_signature(shot_a), scene_signature(shot_a2));
  const double cut = scene_distance(scene_signature(shot_a), scene_signature(shot_b));
  INFO("same shot " << same << ", cut " << cut);
  const double default_threshold = 0.45;  // DepthStageOptions::scene_cut_threshold
  CHECK(same < default_threshold / 2);
  CHECK(cut > default_threshold);
  CHECK(scene_distance(scene_signature(shot_a), scene_signature(shot_a)) < 1e-6);
}

TEST_CASE("sidecar JSON round-trips exactly and reports bad files by name and key", "[unit]") {
  DepthSidecar s;
  s.frame = 123456;
  s.model = "dav2-vits";
  s.normalize = Normalize::kWindow;
  s.width = 1920;
  s.height = 1080;
  s.raw = {-0.1, 3.141592653589793};
  s.mapped = {-1e-300, 1.0 / 3.0};
  s.scene_cut = true;
  const std::string json = sidecar_to_json(s);
  const DepthSidecar back = sidecar_from_json(json, "x.json");
  CHECK(back.frame == s.frame);
  CHECK(back.model == s.model);
  CHECK(back.normalize == s.normalize);
  CHECK(back.width == 1920);
  CHECK(back.height == 1080);
  CHECK(back.raw == s.raw);  // exact, not approximately: a window reaching a done frame depends on it
  CHECK(back.mapped == s.mapped);
  CHECK(back.scene_cut);
  CHECK_THAT(json, Catch::Contains("\"raw_max\": 3.141592653589793"));

  test::TempDir dir;
  write_sidecar(dir / "000001.json", s);
  CHECK(read_sidecar(dir / "000001.json").mapped == s.mapped);
  CHECK(sidecar_path(dir.path(), 7) == dir / "000007.json");
  CHECK(depth_png_path(dir.path(), 7) == dir / "000007.png");

  auto error_of = [](const std::string& text) {
    try {
      sidecar_from_json(text, "/out/000009.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string missing = json;
  missing.replace(missing.find("\"lo\""), 4, "\"xx\"");
  CHECK_THAT(error_of(missing), Catch::Contains("/out/000009.json") && Catch::Contains("'lo'"));
  std::string wrong_type = json;
  wrong_type.replace(wrong_type.find("true"), 4, "\"yes\"");
  CHECK_THAT(error_of(wrong_type), Catch::Contains("scene_cut") && Catch::Contains("yes"));
  CHECK_THAT(error_of("PNG garbage"), Catch::Contains("/out/000009.json") && Catch::Contains("JSON"));
  CHECK_THAT(error_of(json.substr(0, json.size() / 2)), Catch::Contains("/out/000009.json"));
  std::string foreign = json;
  foreign.replace(foreign.find("s3d-depth/1"), 11, "other/9");
  CHECK_THAT(error_of(foreign), Catch::Contains("format") && Catch::Contains("other/9"));
  CHECK_THROWS_AS(read_sidecar(dir / "missing.json"), Error);
}

namespace {

}  // namespace

TEST_CASE("spearman: rank correlation of monotone, reversed and tied samples", "[unit]") {
  CHECK(spearman({1, 2, 3, 4}, {10, 20, 30, 1000}) == Approx(1.0));  // any increasing map
  CHECK(spearman({1, 2, 3, 4}, {4, 3, 2, 1}) == Approx(-1.0));
  // Ties get their average rank: a = ranks 0, 1.5, 1.5, 3; b = 0, 1, 2, 3 -> r = 4.5 / sqrt(4.5 * 5).
  CHECK(spearman({1, 2, 2, 3}, {1, 2, 3, 4}) == Approx(4.5 / std::sqrt(4.5 * 5)));
  CHECK(spearman({5, 5, 5}, {1, 2, 3}) == 0.0);  // a constant sample orders nothing
  CHECK_THROWS_AS(spearman({1}, {1}), Error);
}

TEST_CASE("heuristic: on every Middlebury scene at least the vertical prior's depth order, and 0.05 more on average", "[reference]") {
  S3D_REQUIRE_SHARED();
  // Measured when written (bench/depth_quality.sh): tsukuba 0.487 (vertical prior 0.407),
  // venus 0.867 (0.823); mean 0.677 vs 0.615. The bar is the issue's: no scene below the
  // prior, the mean 0.05 above it.
  const auto scenes = load_middlebury(test::shared_dir() / "data" / "middlebury");
  REQUIRE(scenes.size() == 2);
  double ours_mean = 0, prior_mean = 0;
  for (const auto& scene : scenes) {
    INFO(scene.name);
    REQUIRE(cv::countNonZero(scene.mask) > 10000);
    const double ours = depth_order_agreement(HeuristicDepth().estimate_one(scene.image), scene);
    const double prior = depth_order_agreement(vertical_prior(scene.image.size()), scene);
    WARN(scene.name << ": Spearman with ground-truth disparity: heuristic " << ours << ", vertical prior " << prior);
    CHECK(ours >= prior);
    ours_mean += ours / scenes.size();
    prior_mean += prior / scenes.size();
  }
  CHECK(ours_mean >= prior_mean + 0.05);
}
