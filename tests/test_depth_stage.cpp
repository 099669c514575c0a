// The network-free depth pieces: the heuristic estimator's cues on synthesized scenes,
// normalization arithmetic, scene-cut detection and the sidecar format.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/errors.hpp"
#include "depth_stage/depth_sidecar.hpp"
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
  // Outputs are about 0..1; the object should stand clearly out, not by a rounding margin.
  CHECK(mean_of(depth, object) > mean_of(depth, backdrop) + 0.15);
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
  CHECK(names.parse("ema", "--normalize") == Normalize::kEma);
  CHECK(names.parse("global", "--normalize") == Normalize::kGlobal);
  for (auto n : {Normalize::kFrame, Normalize::kEma, Normalize::kGlobal}) CHECK(names.parse(names.name(n), "--normalize") == n);
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

TEST_CASE("EMA range widens at once, narrows by alpha past its dead band, restarts at a scene cut", "[unit]") {
  EmaRange ema(0.5, 0.0);
  CHECK(ema.update({0, 10}, false) == DepthRange{0, 10});      // first frame: its own range
  CHECK(ema.update({2, 8}, false) == DepthRange{1, 9});        // narrows halfway: 0+0.5*2, 10-0.5*2
  CHECK(ema.update({-1, 9.5}, false) == DepthRange{-1, 9.5});  // lo widens at once; hi 9.5 > 9+0.25
  CHECK(ema.update({3, 4}, true) == DepthRange{3, 4});         // scene cut: restart
  ema.restore({0, 100});
  CHECK(ema.update({50, 60}, false) == DepthRange{25, 80});
  ema.reset();
  CHECK(ema.update({50, 60}, false) == DepthRange{50, 60});

  EmaRange banded(0.5, 0.1);
  banded.update({0, 100}, false);
  // Inside by less than 10% of the width (10): nothing moves.
  CHECK(banded.update({9, 91}, false) == DepthRange{0, 100});
  // lo inside by 30: shrinks by half the 20 past the band; hi inside by 5: stays.
  CHECK(banded.update({30, 95}, false) == DepthRange{10, 100});

  EmaRange like_frame(1.0, 0.0);
  like_frame.update({0, 10}, false);
  CHECK(like_frame.update({2, 8}, false) == DepthRange{2, 8});
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
  s.normalize = Normalize::kEma;
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
  CHECK(back.raw == s.raw);  // exact, not approximately: resuming an EMA depends on it
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

// Ranks with ties given their average rank (the ground truth has few disparity levels).
std::vector<double> ranks_of(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
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

// Spearman's rank correlation: Pearson's on the ranks.
double spearman(const std::vector<double>& a, const std::vector<double>& b) {
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
  return ab / std::sqrt(aa * bb);
}

}  // namespace

TEST_CASE("heuristic: depth order agrees with Middlebury ground-truth disparity", "[reference]") {
  S3D_REQUIRE_SHARED();
  const fs::path shared = test::shared_dir();
  // Measured when written: venus 0.836 (vertical position alone: 0.823), tsukuba 0.341
  // (alone: 0.407; an in-focus indoor scene with a bright near lamp, where the sharpness and
  // haze cues do not help). The bounds guard against regressions, with some margin.
  struct Scene {
    const char* name;
    const char* image;
    const char* disparity;
    double min_spearman;
  };
  for (const Scene& scene : {Scene{"venus", "im2.png", "disp2.pgm", 0.75}, Scene{"tsukuba", "im3.png", "disp3.pgm", 0.25}}) {
    INFO(scene.name);
    const fs::path dir = shared / "data" / "middlebury" / scene.name;
    const cv::Mat image = cv::imread((dir / scene.image).string(), cv::IMREAD_COLOR);
    const cv::Mat gt = cv::imread((dir / scene.disparity).string(), cv::IMREAD_GRAYSCALE);
    const cv::Mat mask = cv::imread((dir / "nonocc.png").string(), cv::IMREAD_GRAYSCALE);
    REQUIRE_FALSE(image.empty());
    REQUIRE(gt.size() == image.size());
    REQUIRE(mask.size() == image.size());
    const cv::Mat depth = HeuristicDepth().estimate_one(image);
    std::vector<double> ours, truth;  // larger = nearer in both
    for (int y = 0; y < image.rows; ++y)
      for (int x = 0; x < image.cols; ++x)
        if (gt.at<uint8_t>(y, x) > 0 && mask.at<uint8_t>(y, x) == 255) {
          ours.push_back(depth.at<float>(y, x));
          truth.push_back(gt.at<uint8_t>(y, x));
        }
    REQUIRE(ours.size() > 10000);
    const double rho = spearman(ours, truth);
    WARN(scene.name << ": Spearman rank correlation with ground-truth disparity " << rho);
    CHECK(rho > scene.min_spearman);
  }
}
