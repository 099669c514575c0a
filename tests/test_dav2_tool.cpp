// s3d-depth end to end with Depth-Anything-V2: the golden model, option errors, resuming,
// and writing a random checkpoint (built with LibTorch only).
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <torch/serialize.h>

#include "depth_anything_v2/checkpoint_reader.hpp"
#include "depth_anything_v2/dav2_config.hpp"
#include "depth_anything_v2/dav2_estimator.hpp"
#include "depth_stage/depth_field.hpp"
#include "depth_stage/depth_sidecar.hpp"
#include "imageio/image_file.hpp"
#include "support/dav2_golden.hpp"
#include "support/image_compare.hpp"
#include "support/test_support.hpp"

// LibTorch defines a glog-style CHECK macro that would shadow Catch's: Catch comes last.
#undef CHECK
#include <catch2/catch.hpp>

using namespace s3d;
namespace fs = std::filesystem;
using s3d::test::run_tool;
using s3d::test::TempDir;
using s3d::test::golden_depth;
using s3d::test::golden_file;

namespace {

// Frames 0 and 1 = golden image a (640x360).
fs::path make_frames(const TempDir& dir) {
  const auto frames = dir / "frames";
  fs::create_directories(frames);
  for (const char* name : {"000000.png", "000001.png"}) fs::copy_file(golden_file("input_a_640x360.png"), frames / name);
  return frames;
}

}  // namespace

TEST_CASE("s3d-depth --help documents every option", "[e2e]") {
  const auto r = run_tool("s3d-depth", {"--help"});
  CHECK(r.exit_code == 0);
  for (const char* option : {"--frames", "--out", "--range", "--model", "--device", "--batch", "--precision",
                             "--normalize", "--input-size", "--write-random-checkpoint", "--threads", "--force",
                             "--quiet", "S3D_MODELS", "heuristic", "vitg"})
    CHECK_THAT(r.out, Catch::Contains(option));
  CHECK_THAT(run_tool("s3d-depth", {"--version"}).out, Catch::Contains("Depth-Anything-V2 on LibTorch"));
}

TEST_CASE("s3d-depth --format field keeps the network's output, which renders to the reference depth", "[reference]") {
  S3D_REQUIRE_SHARED();
  TempDir dir;
  const auto frames = make_frames(dir);
  const auto out = dir / "fields";
  const auto r = run_tool("s3d-depth", {"--frames", frames.string(), "--out", out.string(), "--model",
                                        golden_file("tiny_vits.pth").string(), "--normalize", "frame", "--format",
                                        "field", "--threads", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto sidecar = depth_stage::read_sidecar(depth_stage::sidecar_path(out, 0));
  REQUIRE(sidecar.field);
  CHECK(sidecar.field->kind == depth_stage::DepthField::Kind::kBilinear);
  // The stored plane is the raw network output (larger than this 640x360 frame), to 16 bits.
  const cv::Mat raw = golden_depth("a_raw.pt");
  CHECK(sidecar.field->size == raw.size());
  const cv::Mat stored = read_image(depth_stage::depth_png_path(out, 0), kReadUnchanged);
  const auto field = depth_stage::decode_field(stored, *sidecar.field, "stored");
  double lo, hi;
  cv::minMaxLoc(raw, &lo, &hi);
  // 1e-4 (golden) plus half a 16-bit step of the plane's range.
  const double plane_step = 1e-4 + 0.5 * (hi - lo) / 65535;
  S3D_CHECK_IMAGES_MATCH(raw, field.a, (test::Tolerance{plane_step, 0, plane_step, "golden raw + 16-bit plane"}));
  // Rendered at the frame's size and normalized, as s3d-parallax reads it.
  const cv::Mat frame = read_image(frames / "000000.png", kReadColor);
  cv::Mat depth;
  depth_stage::read_field_depth(out, 0, frame.size(), frame, depth);
  // `--normalize frame` maps the field's own range (its grid's, the raw output's [lo, hi])
  // onto 0..1, so the reference depth (the raw output upsampled) normalized by that range,
  // clamped as a 16-bit map is. The rendering's only error is the 16-bit plane's.
  const cv::Mat ref = golden_depth("a_depth.pt");
  cv::Mat expected;
  ref.convertTo(expected, CV_32F, 1 / (hi - lo), -lo / (hi - lo));
  cv::max(expected, 0.0, expected);
  cv::min(expected, 1.0, expected);
  S3D_CHECK_IMAGES_MATCH(expected, depth, (test::Tolerance{1e-3, 0, 1e-3, "field rendering vs reference (0.1%)"}));
}

TEST_CASE("s3d-depth on the golden model writes the reference depth, then resumes", "[reference]") {
  S3D_REQUIRE_SHARED();
  TempDir dir;
  const auto frames = make_frames(dir);
  const auto out = dir / "depth";
  const auto r = run_tool("s3d-depth", {"--frames", frames.string(), "--out", out.string(), "--model",
                                        golden_file("tiny_vits.pth").string(), "--normalize", "frame", "--batch", "2",
                                        "--threads", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("dav2-custom"));
  // frame normalization: 16-bit = (d - min) / (max - min) * 65535 of the reference depth.
  const cv::Mat ref = golden_depth("a_depth.pt");
  double lo, hi;
  cv::minMaxLoc(ref, &lo, &hi);
  cv::Mat expected;
  ref.convertTo(expected, CV_64F, 65535.0 / (hi - lo), -lo * 65535.0 / (hi - lo));
  for (const char* name : {"000000.png", "000001.png"}) {
    const cv::Mat png = cv::imread((out / name).string(), cv::IMREAD_UNCHANGED);
    REQUIRE(png.type() == CV_16UC1);
    REQUIRE(png.size() == cv::Size(640, 360));
    cv::Mat got;
    png.convertTo(got, CV_64F);
    // 1e-4 of raw depth over a 3.73 range is 1.8 levels, plus 0.5 for rounding.
    S3D_CHECK_IMAGES_MATCH(got, expected, test::kGoldenDepth16);
  }
  const auto written = fs::last_write_time(out / "000000.png");
  const auto again = run_tool("s3d-depth", {"--frames", frames.string(), "--out", out.string(), "--model",
                                            golden_file("tiny_vits.pth").string(), "--normalize", "frame"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("0 depth frames written"));
  CHECK(fs::last_write_time(out / "000000.png") == written);
}

TEST_CASE("s3d-depth rejects bad options and checkpoints before writing anything", "[reference]") {
  S3D_REQUIRE_SHARED();
  TempDir dir;
  const auto frames = make_frames(dir);
  const auto out = dir / "depth";
  const std::vector<std::string> base = {"--frames", frames.string(), "--out", out.string(), "--model",
                                         golden_file("tiny_vits.pth").string()};
  auto with = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_tool("s3d-depth", args);
  };
  // LibTorch 1.x has no 16-bit CPU kernels: a usage error there (2.x runs it, see test_dav2_estimator).
  if (!dav2::cpu_runs_16_bit()) CHECK(with({"--precision", "fp16", "--device", "cpu"}).exit_code == 2);
  CHECK(with({"--device", "tpu"}).exit_code == 2);
  CHECK(with({"--input-size", "0"}).exit_code == 2);
  CHECK(with({"--batch", "0"}).exit_code == 2);
  // A truncated checkpoint: exit 1 naming the file, no depth frame written.
  std::ifstream in(golden_file("tiny_vits.pth"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir / "cut.pth", std::ios::binary) << bytes.substr(0, bytes.size() / 3);
  const auto r = run_tool("s3d-depth", {"--frames", frames.string(), "--out", out.string(), "--model", (dir / "cut.pth").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cut.pth"));
  CHECK(test::files_below(out).empty());
  const auto missing = run_tool("s3d-depth", {"--frames", frames.string(), "--out", out.string(), "--model", (dir / "no.pth").string()});
  CHECK(missing.exit_code == 1);
}

TEST_CASE("s3d-depth --write-random-checkpoint writes an official-layout vits file", "[e2e]") {
  TempDir dir;
  const auto r = run_tool("s3d-depth", {"--write-random-checkpoint", "vits", "--out", (dir / "v.pth").string(), "--quiet"});
  REQUIRE(r.exit_code == 0);
  const auto state = dav2::read_checkpoint(dir / "v.pth");
  CHECK(dav2::infer_config(state, "v.pth") == dav2::official_config("vits"));
  CHECK(run_tool("s3d-depth", {"--write-random-checkpoint", "vitx", "--out", (dir / "x.pth").string()}).exit_code == 2);
  CHECK_FALSE(fs::exists(dir / "x.pth"));
}

