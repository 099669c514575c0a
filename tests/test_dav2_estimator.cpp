// Dav2Estimator (infer_image for batches of frames) and the model choice of s3d-depth.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <torch/cuda.h>
#include <torch/serialize.h>
#include <torch/version.h>

#include "core/errors.hpp"
#include "depth_anything_v2/dav2_estimator.hpp"
#include "depth_stage/model_locator.hpp"
#include "support/dav2_golden.hpp"
#include "support/image_compare.hpp"
#include "support/test_support.hpp"

// LibTorch defines a glog-style CHECK macro that would shadow Catch's: Catch comes last.
#undef CHECK
#include <catch2/catch.hpp>

using namespace s3d;
using namespace s3d::dav2;
using namespace s3d::depth_stage;
using s3d::test::TempDir;
using s3d::test::golden_depth;
using s3d::test::golden_file;

namespace {

cv::Mat golden_image(const std::string& name) { return cv::imread(golden_file(name).string(), cv::IMREAD_COLOR); }

Dav2Options golden_options() {
  Dav2Options o;
  o.checkpoint = golden_file("tiny_vits.pth");
  o.device = Device::kCpu;
  o.threads = 2;
  return o;
}

// Outputs are compared with kGoldenFloat, like the golden network tests: they are O(1), the
// reference's own thread-count spread is 3e-6; batching changes only the summation order.

struct ScopedEnv {
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("Dav2Estimator reproduces infer_image, batched and in order", "[reference]") {
  S3D_REQUIRE_SHARED();
  Dav2Estimator estimator(golden_options());
  CHECK(estimator.name() == "dav2");  // not loaded before it is needed
  const cv::Mat a = golden_image("input_a_640x360.png"), b = golden_image("input_b_450x375.png");
  // b twice (one batch of 2), then a, then b again: three batches, results in input order.
  const auto out = estimator.estimate({b, b, a, b});
  CHECK(estimator.name() == "dav2-custom");
  REQUIRE(out.size() == 4);
  const cv::Mat expect_a = golden_depth("a_depth.pt"), expect_b = golden_depth("b_depth.pt");
  for (int i : {0, 1, 3}) {
    INFO("frame " << i);
    REQUIRE(out[i].type() == CV_32FC1);
    REQUIRE(out[i].size() == b.size());
    S3D_CHECK_IMAGES_MATCH(expect_b, out[i], test::kGoldenFloat);
  }
  REQUIRE(out[2].size() == a.size());
  S3D_CHECK_IMAGES_MATCH(expect_a, out[2], test::kGoldenFloat);
}

TEST_CASE("Dav2Options are checked before the model is loaded", "[reference]") {
  S3D_REQUIRE_SHARED();
  auto o = golden_options();
  o.precision = Precision::kFp16;
  if (cpu_runs_16_bit()) {
    CHECK_NOTHROW(Dav2Estimator(o));
  } else {
    CHECK_THROWS_WITH(Dav2Estimator(o), Catch::Contains("needs a CUDA device or LibTorch 2.x"));  // 1.13: fp32 only
  }
  o = golden_options();
  o.input_size = 7;
  CHECK_THROWS_AS(Dav2Estimator(o), UsageError);
  o = golden_options();
  o.checkpoint = "/nonexistent/model.pth";
  CHECK_THROWS_AS(Dav2Estimator(o), Error);
  CHECK_THROWS_AS(device_names().parse("gpu", "--device"), UsageError);
  CHECK_THROWS_AS(precision_names().parse("int8", "--precision"), UsageError);
  CHECK(precision_names().parse("bf16", "--precision") == Precision::kBf16);
}

TEST_CASE("a different --input-size changes the network resolution", "[reference]") {
  S3D_REQUIRE_SHARED();
  auto o = golden_options();
  o.input_size = 266;  // 640x360 -> 476x266 network input
  Dav2Estimator small(o);
  const cv::Mat a = golden_image("input_a_640x360.png");
  const auto out = small.estimate({a});
  REQUIRE(out[0].size() == a.size());
  // Another resolution gives a related but different map: not identical to the 518 result.
  const double diff = test::max_abs_diff(out[0], golden_depth("a_depth.pt"));
  CHECK(diff > 1e-3);
  CHECK(cv::checkRange(out[0]));
}

// The tolerance of a 16-bit model against fp32, as fractions of the reference's range
// (3.73 on case a): fp16 keeps 11 significant bits, bf16 8. Measured on the CPU with LibTorch
// 2.15 (the tiny model, case a): fp16 max 0.22% mean 0.034%, bf16 max 2.1% mean 0.37%; the
// limits leave 2-3x room: fp16 max 0.5% mean 0.1%, bf16 max 5% mean 1%.
struct SixteenBitTolerance {
  Precision precision;
  double max_fraction, mean_fraction;
};
constexpr SixteenBitTolerance kSixteenBit[] = {{Precision::kFp16, 0.005, 0.001}, {Precision::kBf16, 0.05, 0.01}};

void check_sixteen_bit(Dav2Options o, const cv::Mat& image, const cv::Mat& reference) {
  double lo, hi;
  cv::minMaxLoc(reference, &lo, &hi);
  for (const auto& t : kSixteenBit) {
    o.precision = t.precision;
    INFO("precision " << precision_names().name(t.precision));
    Dav2Estimator estimator(o);
    const cv::Mat depth = estimator.estimate({image})[0];
    REQUIRE(depth.size() == reference.size());
    const double max_error = t.max_fraction * (hi - lo);
    S3D_CHECK_IMAGES_MATCH(reference, depth, (test::Tolerance{max_error, 0, max_error, "16-bit model vs fp32"}));
    cv::Mat error;
    cv::absdiff(reference, depth, error);
    CHECK(cv::mean(error)[0] <= t.mean_fraction * (hi - lo));
  }
}

TEST_CASE("fp16 and bf16 models (converted, not autocast) stay within their tolerance of fp32 (CPU, LibTorch 2.x)",
          "[reference]") {
  S3D_REQUIRE_SHARED();
  if (!cpu_runs_16_bit()) S3D_SKIP("LibTorch " TORCH_VERSION " has no 16-bit CPU kernels (2.x has)");
  check_sixteen_bit(golden_options(), golden_image("input_a_640x360.png"), golden_depth("a_depth.pt"));
}

TEST_CASE("CUDA: golden case a on the GPU, fp32 and 16-bit, batched (skipped without a GPU)", "[reference]") {
  if (!torch::cuda::is_available()) S3D_SKIP("no CUDA device (LibTorch sees none)");
  S3D_REQUIRE_SHARED();
  auto o = golden_options();
  o.device = Device::kCuda;
  Dav2Estimator fp32(o);
  CHECK(fp32.device().is_cuda());
  const cv::Mat a = golden_image("input_a_640x360.png");
  const cv::Mat reference = golden_depth("a_depth.pt");
  // GPU kernels sum differently (and SDPA, the device-side preprocessing): within 1e-3.
  const test::Tolerance gpu{1e-3, 0, 1e-4, "GPU fp32 vs reference"};
  S3D_CHECK_IMAGES_MATCH(reference, fp32.estimate({a})[0], gpu);
  // A batch of 4 gives each frame's result.
  for (const auto& depth : fp32.estimate({a, a, a, a})) S3D_CHECK_IMAGES_MATCH(reference, depth, gpu);
  check_sixteen_bit(o, a, reference);
}

TEST_CASE("model names resolve through S3D_MODELS, heuristic and paths as given", "[unit]") {
  TempDir dir;
  ScopedEnv env("S3D_MODELS", dir.path().string());
  CHECK(model_search_dirs().front() == dir.path());
  CHECK(resolve_model(std::string("heuristic")).heuristic);

  CHECK_THROWS_WITH(resolve_model(std::string("vitg")), Catch::Contains("depth_anything_v2_vitg.pth"));
  CHECK_THROWS_AS(resolve_model(std::string("vitg")), Error);
  CHECK_THROWS_AS(resolve_model((dir / "nope.pth").string()), Error);

  std::ofstream(dir / "depth_anything_v2_vits.pth") << "x";
  std::ofstream(dir / "depth_anything_v2_vitg.pth") << "x";
  const auto vitg = resolve_model(std::string("vitg"));
  CHECK_FALSE(vitg.heuristic);
  CHECK(vitg.checkpoint == dir / "depth_anything_v2_vitg.pth");
  // Without --model the smallest official checkpoint found first wins.
  const auto chosen = resolve_model("");
  CHECK(chosen.checkpoint == dir / "depth_anything_v2_vits.pth");
  CHECK_FALSE(chosen.fallback);
  const auto path = resolve_model((dir / "depth_anything_v2_vitg.pth").string());
  CHECK(path.checkpoint == dir / "depth_anything_v2_vitg.pth");
}
