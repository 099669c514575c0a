// Depth-Anything-V2 port against the official Python code: the golden tiny model and
// reference tensors in ../shared/golden/dav2-tiny (see its golden.json).
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <torch/serialize.h>

#include "depth_anything_v2/cpu_kernels.hpp"
#include "depth_anything_v2/depth_anything_v2.hpp"
#include "depth_anything_v2/preprocess.hpp"
#include "support/dav2_golden.hpp"
#include "support/image_compare.hpp"
#include "support/test_support.hpp"

// LibTorch defines a glog-style CHECK macro that would shadow Catch's: Catch comes last.
#undef CHECK
#include <catch2/catch.hpp>

using namespace s3d;
using namespace s3d::dav2;
using s3d::test::golden_dir;
using s3d::test::load_golden;

namespace {

double max_abs(const torch::Tensor& a, const torch::Tensor& b) {
  REQUIRE(a.sizes() == b.sizes());
  return (a - b).abs().max().item<double>();
}

DepthAnythingV2& tiny_model() {
  static DepthAnythingV2 model = load_depth_anything_v2(golden_dir() / "tiny_vits.pth");
  return model;
}

// Network outputs are O(1); the reference's own 1-vs-2-thread spread is 3e-6, so a faithful
// port in fp32 lands well inside 1e-4 absolute.
constexpr double kNetworkTolerance = s3d::test::kGoldenFloat.fail;  // docs/testing.md
// Preprocessing and the position-table resampling are the same float64/float32 arithmetic
// as the reference: only rounding-level differences are allowed.
constexpr double kExactTolerance = 1e-6;

}  // namespace


TEST_CASE("network input size follows the reference Resize (lower bound, multiple of 14)", "[unit]") {
  // Hand-computed in the reference spec: W x H in -> W x H out.
  CHECK(network_input_size({1920, 1080}, 518) == cv::Size(924, 518));
  CHECK(network_input_size({640, 360}, 518) == cv::Size(924, 518));
  CHECK(network_input_size({450, 375}, 518) == cv::Size(616, 518));
  CHECK(network_input_size({200, 200}, 518) == cv::Size(518, 518));
  CHECK(network_input_size({1080, 1920}, 518) == cv::Size(518, 924));
  // 7 * 14 = 98 -> 98; 364 * 1.5 = 546 = 39 * 14 exactly; a half-way case rounds to even:
  // 300 * (252 / 200) = 378 = 27 * 14, and 7 -> 7 rounds up to the lower bound 14.
  CHECK(network_input_size({300, 200}, 252) == cv::Size(378, 252));
  CHECK(network_input_size({10, 10}, 14) == cv::Size(14, 14));
}

TEST_CASE("golden: preprocessing equals the reference image2tensor", "[reference]") {
  S3D_REQUIRE_SHARED();
  for (const auto& [image, tensor] : {std::pair{"input_a_640x360.png", "a_input.pt"}, {"input_b_450x375.png", "b_input.pt"}}) {
    INFO(image);
    const cv::Mat bgr = cv::imread((golden_dir() / image).string(), cv::IMREAD_COLOR);
    const auto expected = load_golden(tensor);
    const auto got = image_to_tensor(bgr, kDefaultInputSize).unsqueeze(0);
    CHECK(max_abs(got, expected) <= kExactTolerance);
  }
}

TEST_CASE("golden: interpolated position embedding (case b, 37x44 patches)", "[reference]") {
  S3D_REQUIRE_SHARED();
  torch::NoGradGuard no_grad;
  const auto expected = load_golden("b_pos_embed.pt");
  CHECK(max_abs(tiny_model()->pretrained->interpolate_pos_encoding(37, 44), expected) <= kExactTolerance);
}

TEST_CASE("golden: normalized features after blocks 2 and 11 (case b)", "[reference]") {
  S3D_REQUIRE_SHARED();
  torch::NoGradGuard no_grad;
  const auto features = tiny_model()->pretrained->get_intermediate_layers(load_golden("b_input.pt"), {2, 11});
  REQUIRE(features.size() == 2);
  CHECK(max_abs(features[0], load_golden("b_feat_layer2.pt")) <= kNetworkTolerance);
  CHECK(max_abs(features[1], load_golden("b_feat_layer11.pt")) <= kNetworkTolerance);
}

TEST_CASE("golden: raw network output and final depth (cases a, b, c)", "[reference]") {
  S3D_REQUIRE_SHARED();
  torch::NoGradGuard no_grad;
  for (const auto& [image, prefix] : {std::pair{"input_a_640x360.png", "a"}, {"input_b_450x375.png", "b"},
                                      {"input_c_200x200.png", "c"}}) {
    INFO(image);
    const cv::Mat bgr = cv::imread((golden_dir() / image).string(), cv::IMREAD_COLOR);
    const auto raw = tiny_model()->forward(image_to_tensor(bgr, kDefaultInputSize).unsqueeze(0));
    if (std::string(prefix) != "c") CHECK(max_abs(raw, load_golden(std::string(prefix) + "_raw.pt")) <= kNetworkTolerance);
    const auto depth = resize_to_frame(raw, bgr.size()).squeeze(0);
    CHECK(max_abs(depth, load_golden(std::string(prefix) + "_depth.pt")) <= kNetworkTolerance);
  }
}

TEST_CASE("golden: the plain LibTorch ops (used off the CPU) match too (case b)", "[reference]") {
  S3D_REQUIRE_SHARED();
  torch::NoGradGuard no_grad;
  set_cpu_kernels_enabled(false);
  const auto raw = tiny_model()->forward(load_golden("b_input.pt"));
  set_cpu_kernels_enabled(true);
  CHECK(max_abs(raw, load_golden("b_raw.pt")) <= kNetworkTolerance);
}
