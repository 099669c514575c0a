// Dav2Estimator (infer_image for batches of frames) and the model choice of s3d-depth.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <torch/cuda.h>
#include <torch/serialize.h>

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
  CHECK_THROWS_AS(Dav2Estimator(o), UsageError);  // the CPU runs fp32 only
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

TEST_CASE("CUDA: golden case a on the GPU (skipped without a GPU)", "[reference]") {
  if (!torch::cuda::is_available()) S3D_SKIP("no CUDA device (LibTorch sees none)");
  S3D_REQUIRE_SHARED();
  auto o = golden_options();
  o.device = Device::kCuda;
  Dav2Estimator fp32(o);
  CHECK(fp32.device().is_cuda());
  const cv::Mat a = golden_image("input_a_640x360.png");
  CHECK(test::max_abs_diff(fp32.estimate({a})[0], golden_depth("a_depth.pt")) <= 1e-3);  // GPU kernels sum differently
  o.precision = Precision::kFp16;
  Dav2Estimator fp16(o);
  CHECK(test::max_abs_diff(fp16.estimate({a})[0], golden_depth("a_depth.pt")) <= 0.05);  // half precision: ~1e-2 relative
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
