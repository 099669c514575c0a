// Depth fields, what the pipeline keeps (docs/depth-maps.md, "Fields"): the stored image
// round-trips bit-exactly, s3d-parallax's depth is exactly the decoded planes rendered, and a
// field gives the depth a frame-sized png16 map gives, within the stated quantization.
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/frame_store.hpp"
#include "depth_stage/depth_field.hpp"
#include "depth_stage/depth_sidecar.hpp"
#include "depth_stage/depth_stage.hpp"
#include "depth_stage/heuristic_depth.hpp"
#include "imageio/image_file.hpp"
#include "support/image_compare.hpp"
#include "support/test_support.hpp"

using namespace s3d;
using namespace s3d::depth_stage;
using s3d::test::TempDir;

namespace {

constexpr int kCount = 3;

// Textured frames with a near, sharp object over a soft background, a little different each.
void write_scene(const fs::path& dir) {
  fs::create_directories(dir);
  for (int i = 0; i < kCount; ++i) {
    cv::Mat frame(360, 640, CV_8UC3);
    cv::RNG rng(100 + i);
    rng.fill(frame, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(frame, frame, cv::Size(0, 0), 6);
    cv::Mat object = frame(cv::Rect(200 + 10 * i, 150, 160, 160));
    rng.fill(object, cv::RNG::UNIFORM, 0, 256);
    cv::imwrite(frame_path(dir, i, ".png").string(), frame);
  }
}

DepthStageOptions options(const fs::path& frames, const fs::path& out, DepthFormat format) {
  DepthStageOptions o;
  o.frames_dir = frames;
  o.out_dir = out;
  o.format = format;
  o.normalize = Normalize::kFrame;
  o.threads = 2;
  return o;
}

}  // namespace

TEST_CASE("fields: the kept image round-trips bit-exactly and is exactly what s3d-parallax renders", "[unit]") {
  TempDir dir("s3d-field");
  write_scene(dir / "frames");
  HeuristicDepth heuristic;
  run_depth_stage(options(dir / "frames", dir / "fields", DepthFormat::kField), heuristic);
  for (int i = 0; i < kCount; ++i) {
    INFO("frame " << i);
    const DepthSidecar sidecar = read_sidecar(sidecar_path(dir / "fields", i));
    REQUIRE(sidecar.field);
    CHECK(sidecar.field->kind == DepthField::Kind::kGuided);
    CHECK(sidecar.field->size == cv::Size(320, 180));  // the heuristic's own grid, not the frame's
    const cv::Mat stored = read_image(depth_png_path(dir / "fields", i), kReadUnchanged);
    REQUIRE(stored.type() == CV_16UC1);
    CHECK(stored.size() == cv::Size(640, 180));  // a and b side by side

    // file -> planes -> the same file, to the bit, and the same stored ranges
    const DepthField planes = decode_field(stored, *sidecar.field, "stored");
    FieldEncoding again;
    S3D_CHECK_IMAGES_MATCH(stored, encode_field(planes, again), test::kExact);
    CHECK(again.a.lo == sidecar.field->a.lo);
    CHECK(again.a.hi == sidecar.field->a.hi);
    CHECK(again.b.lo == sidecar.field->b.lo);
    CHECK(again.b.hi == sidecar.field->b.hi);

    // what s3d-parallax uses = the decoded planes rendered and mapped by the sidecar (the
    // spec of docs/depth-maps.md), value for value
    const cv::Mat frame = read_image(frame_path(dir / "frames", i, ".png"), kReadColor);
    cv::Mat used;
    read_field_depth(dir / "fields", i, frame.size(), frame, used);
    cv::Mat expected;
    const double span = sidecar.mapped.hi - sidecar.mapped.lo;
    REQUIRE(span > 0);
    render_field(planes, frame).convertTo(expected, CV_32F, 1 / span, -sidecar.mapped.lo / span);
    expected = cv::min(cv::max(expected, 0.0), 1.0);
    S3D_CHECK_IMAGES_MATCH(expected, used, test::kExact);
  }
}

TEST_CASE("fields: the same depth as a frame-sized png16 map, within the field's quantization", "[unit]") {
  TempDir dir("s3d-field");
  write_scene(dir / "frames");
  HeuristicDepth heuristic;
  run_depth_stage(options(dir / "frames", dir / "png16", DepthFormat::kPng16), heuristic);
  run_depth_stage(options(dir / "frames", dir / "fields", DepthFormat::kField), heuristic);
  for (int i = 0; i < kCount; ++i) {
    INFO("frame " << i);
    const cv::Mat frame = read_image(frame_path(dir / "frames", i, ".png"), kReadColor);
    cv::Mat from_field, from_png16;
    read_field_depth(dir / "fields", i, frame.size(), frame, from_field);
    read_image(depth_png_path(dir / "png16", i), kReadUnchanged).convertTo(from_png16, CV_32F, 1 / 65535.0);
    // The field's range is measured on its 320x180 grid, the png16's on the full frame, and
    // its planes are quantized to 16 bits: 0.1% of the depth range at most (measured: 2e-4).
    S3D_CHECK_IMAGES_MATCH(from_png16, from_field, (test::Tolerance{1e-3, 0, 1e-3, "field vs png16 (0.1% of the range)"}));
  }
}
