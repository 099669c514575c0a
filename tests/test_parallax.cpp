// s3d-parallax: geometry against hand-built scenes, depth input handling, the stage's
// validation/resume behaviour, packed outputs (squeezed, vr180, colour + depth) and the binary
// end to end.
#include <catch2/catch.hpp>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "parallax/article_methods.hpp"
#include "parallax/auto_convergence.hpp"
#include "parallax/depth_input.hpp"
#include "parallax/forward_warp.hpp"
#include "pack/pack_pair.hpp"
#include "parallax/packed_views.hpp"
#include "parallax/parallax_frames.hpp"
#include "parallax/rgbd_view.hpp"
#include "imageio/image_file.hpp"
#include "parallax/synthesize_views.hpp"
#include "support/image_compare.hpp"
#include "support/test_support.hpp"

using namespace s3d;
using namespace s3d::parallax;
using s3d::test::TempDir;

namespace {

// Random texture: every pixel distinct enough that a shift by the wrong amount shows.
cv::Mat texture(int w, int h, int seed = 1) {
  cv::Mat img(h, w, CV_8UC3);
  cv::RNG rng(seed);
  rng.fill(img, cv::RNG::UNIFORM, 0, 256);
  return img;
}

cv::Mat flat_depth(int w, int h, float d) { return cv::Mat(h, w, CV_32FC1, cv::Scalar(d)); }

SynthesisParams params(float parallax, float convergence, Eyes eyes, Method method = Method::kForward) {
  SynthesisParams p;
  p.parallax = parallax;
  p.convergence = convergence;
  p.synthesize = eyes;
  p.method = method;
  return p;
}

// Column x of `img` as a 1-pixel-wide image.
cv::Mat column(const cv::Mat& img, int x) { return img.col(x).clone(); }

bool same_columns(const cv::Mat& a, int xa, const cv::Mat& b, int xb) {
  return cv::norm(column(a, xa), column(b, xb), cv::NORM_INF) == 0;
}

void write_depth16(const fs::path& path, const cv::Mat& depth01) {
  cv::Mat d16;
  depth01.convertTo(d16, CV_16U, 65535.0);
  cv::imwrite(path.string(), d16);
}

}  // namespace

TEST_CASE("a flat plane shifts by exactly 2s between the eyes", "[unit]") {
  const int w = 64, h = 8;
  const cv::Mat img = texture(w, h);
  // parallax 5, depth 0.6, convergence 0 -> s = 3 px per eye, disparity 6 px.
  const cv::Mat depth = flat_depth(w, h, 0.6f);

  SECTION("synthesize right: the left eye is the frame, the right one moves left by 2s = 6") {
    const auto views = synthesize_views(img, depth, params(5, 0, Eyes::kRight));
    CHECK(views.left.empty());
    for (int x = 0; x + 6 < w; ++x) REQUIRE(same_columns(views.right, x, img, x + 6));
    // The uncovered 6-px border is neither black nor one pixel stretched: the picture next to
    // it, mirrored about the last covered column (w - 7): column x shows source column
    // 2 (w - 7) - x + 6.
    for (int x = w - 6; x < w; ++x) REQUIRE(same_columns(views.right, x, img, 2 * (w - 7) - x + 6));
  }
  SECTION("synthesize both: each eye moves by s = 3, in opposite directions") {
    const auto views = synthesize_views(img, depth, params(5, 0, Eyes::kBoth));
    for (int x = 3; x + 3 < w; ++x) {
      REQUIRE(same_columns(views.left, x, img, x - 3));
      REQUIRE(same_columns(views.right, x, img, x + 3));
    }
  }
  SECTION("a fractional shift interpolates between the two source pixels") {
    // s = 1.25 -> right view moves by 2.5 px: right(x) = (img(x+2) + img(x+3)) / 2.
    const auto views = synthesize_views(img, flat_depth(w, h, 0.25f), params(5, 0, Eyes::kRight));
    cv::Mat expected;
    cv::addWeighted(img.colRange(2, w - 3), 0.5, img.colRange(3, w - 2), 0.5, 0, expected);
    // Tolerance 1: fixed-point weights and rounding of the half-way blend.
    S3D_CHECK_IMAGES_MATCH(views.right.colRange(0, w - 5), expected, test::kRounding8);
  }
  SECTION("the article's remap and shift methods agree on a whole-pixel plane") {
    for (Method m : {Method::kRemap, Method::kShift}) {
      const auto views = synthesize_views(img, depth, params(5, 0, Eyes::kRight, m));
      for (int x = 0; x + 6 < w; ++x) REQUIRE(same_columns(views.right, x, img, x + 6));
    }
  }
}

TEST_CASE("a near square over a far background: occlusion, disocclusion, no ghost", "[unit]") {
  const int w = 80, h = 20, x0 = 30, x1 = 50, y0 = 5, y1 = 15;
  const cv::Vec3b far_colour(200, 60, 20), near_colour(10, 30, 240);
  cv::Mat img(h, w, CV_8UC3, cv::Scalar(far_colour[0], far_colour[1], far_colour[2]));
  cv::Mat depth = flat_depth(w, h, 0.0f);
  const cv::Rect square(x0, y0, x1 - x0, y1 - y0);
  img(square).setTo(cv::Scalar(near_colour[0], near_colour[1], near_colour[2]));
  depth(square).setTo(1.0f);
  // parallax 4 -> the square (d = 1) moves 8 px in the right view, the background (d = 0) stays.
  const auto views = synthesize_views(img, depth, params(4, 0, Eyes::kRight));
  const cv::Mat& right = views.right;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const bool in_square = y >= y0 && y < y1 && x >= x0 - 8 && x < x1 - 8;
      INFO("x=" << x << " y=" << y);
      // Inside the moved square: the square (it occludes the background at [x0-8, x0)).
      // Everywhere else, including the disoccluded strip [x1-8, x1): the background colour,
      // with no trace of the square's colour (no ghost).
      REQUIRE(right.at<cv::Vec3b>(y, x) == (in_square ? near_colour : far_colour));
    }

  SECTION("the left eye mirrors it: the square moves right, the hole opens on its left") {
    const auto left = synthesize_views(img, depth, params(4, 0, Eyes::kLeft)).left;
    for (int y = y0; y < y1; ++y)
      for (int x = 0; x < w; ++x)
        REQUIRE(left.at<cv::Vec3b>(y, x) == (x >= x0 + 8 && x < x1 + 8 ? near_colour : far_colour));
  }
}

TEST_CASE("disocclusion holes take the background's texture side, not the foreground's", "[unit]") {
  // Background: a smooth horizontal ramp (so colours say where they came from); near bar in
  // the middle. Its hole in the right view (right of the bar) must be filled from the
  // background to its right, i.e. with colours close to the ramp there, not the bar's.
  const int w = 100, h = 4;
  cv::Mat img(h, w, CV_8UC3);
  for (int x = 0; x < w; ++x) img.col(x).setTo(cv::Scalar(2 * x, 2 * x, 2 * x));
  cv::Mat depth = flat_depth(w, h, 0.1f);
  img.colRange(40, 60).setTo(cv::Scalar(0, 0, 255));
  depth.colRange(40, 60).setTo(0.9f);
  // parallax 5: background moves 2*5*0.1 = 1 px, bar 9 px; hole = [51, 59) in the target.
  const cv::Mat right = synthesize_views(img, depth, params(5, 0, Eyes::kRight)).right;
  for (int x = 51; x < 59; ++x) {
    const cv::Vec3b c = right.at<cv::Vec3b>(1, x);
    INFO("x=" << x << " colour " << c);
    CHECK(c[2] < 200);                  // not the bar's red
    CHECK(std::abs(c[0] - 2 * 60) <= 4);  // the ramp where the background resumes (source x 60..61)
  }
}

TEST_CASE("convergence: the chosen depth stays on the screen plane, the others move with their sign", "[unit]") {
  const int w = 64, h = 4;
  const cv::Mat img = texture(w, h, 7);
  // A plane at the convergence depth does not move at all.
  const auto still = synthesize_views(img, flat_depth(w, h, 0.5f), params(6, 0.5f, Eyes::kBoth));
  S3D_CHECK_IMAGES_MATCH(still.left, img, test::kExact);
  S3D_CHECK_IMAGES_MATCH(still.right, img, test::kExact);
  // With convergence 1 the farthest plane goes behind the screen: the right eye sees it moved
  // RIGHT by 2P (positive disparity), opposite to the in-front case.
  const auto behind = synthesize_views(img, flat_depth(w, h, 0.0f), params(2, 1.0f, Eyes::kRight));
  for (int x = 4; x < w; ++x) REQUIRE(same_columns(behind.right, x, img, x - 4));
  const auto front = synthesize_views(img, flat_depth(w, h, 1.0f), params(2, 0.0f, Eyes::kRight));
  for (int x = 0; x + 4 < w; ++x) REQUIRE(same_columns(front.right, x, img, x + 4));
}

TEST_CASE("synthesizing the left eye mirrors synthesizing the right eye", "[unit]") {
  const int w = 120, h = 30;
  const cv::Mat img = texture(w, h, 3);
  cv::Mat depth(h, w, CV_32FC1);
  cv::RNG rng(5);
  rng.fill(depth, cv::RNG::UNIFORM, 0.0, 1.0);
  cv::GaussianBlur(depth, depth, {0, 0}, 3);  // smooth surfaces plus some edges
  depth.colRange(50, 70).setTo(0.95f);
  cv::Mat img_m, depth_m;
  cv::flip(img, img_m, 1);
  cv::flip(depth, depth_m, 1);
  for (float convergence : {0.0f, 0.4f}) {
    INFO("convergence " << convergence);
    const cv::Mat left = synthesize_views(img, depth, params(7.3f, convergence, Eyes::kLeft)).left;
    cv::Mat right_of_mirror = synthesize_views(img_m, depth_m, params(7.3f, convergence, Eyes::kRight)).right;
    cv::flip(right_of_mirror, right_of_mirror, 1);
    // Identical up to ties of target centres falling exactly on a half-open interval's end
    // (which side gets them flips with the mirror): >= 40 dB PSNR, and few pixels differ.
    CHECK(cv::PSNR(left, right_of_mirror) >= 40);
    cv::Mat diff;
    cv::absdiff(left, right_of_mirror, diff);
    CHECK(cv::countNonZero(diff.reshape(1) > 2) <= static_cast<int>(diff.total() / 100));
  }
}

TEST_CASE("8- and 16-bit depth maps of the same values give the same views", "[unit]") {
  const int w = 96, h = 24;
  cv::Mat d8(h, w, CV_8UC1);
  for (int x = 0; x < w; ++x) d8.col(x).setTo(x * 255 / (w - 1));
  cv::Mat d16;
  d8.convertTo(d16, CV_16U, 257);  // v * 257 / 65535 == v / 255 exactly
  const DepthShaping none;
  const cv::Mat a = prepare_depth(d8, d8.size(), none, "d8"), b = prepare_depth(d16, d16.size(), none, "d16");
  CHECK(cv::norm(a, b, cv::NORM_INF) < 1e-6);
  CHECK(a.at<float>(0, w - 1) == Approx(1.0f));
  CHECK(a.at<float>(0, 0) == 0.0f);
  const cv::Mat img = texture(w, h);
  const auto va = synthesize_views(img, a, params(6, 0, Eyes::kBoth));
  const auto vb = synthesize_views(img, b, params(6, 0, Eyes::kBoth));
  S3D_CHECK_IMAGES_MATCH(va.left, vb.left, test::kExact);
  S3D_CHECK_IMAGES_MATCH(va.right, vb.right, test::kExact);
}

TEST_CASE("a depth map of another size is resized bilinearly to the frame", "[unit]") {
  cv::Mat small(10, 16, CV_16UC1);
  cv::RNG(9).fill(small, cv::RNG::UNIFORM, 0, 65536);
  const cv::Mat prepared = prepare_depth(small, {64, 40}, {}, "small");
  REQUIRE(prepared.size() == cv::Size(64, 40));
  cv::Mat expected;
  small.convertTo(expected, CV_32F, 1.0 / 65535);
  cv::resize(expected, expected, {64, 40}, 0, 0, cv::INTER_LINEAR);
  CHECK(cv::norm(prepared, expected, cv::NORM_INF) < 1e-6);
}

TEST_CASE("depth shaping: dilation grows near regions, blur smooths", "[unit]") {
  cv::Mat raw(20, 40, CV_8UC1, cv::Scalar(0));
  raw.colRange(15, 25).setTo(255);
  DepthShaping grow;
  grow.edge_dilation = 3;
  const cv::Mat grown = prepare_depth(raw, raw.size(), grow, "bar");
  CHECK(grown.at<float>(10, 12) == 1.0f);  // 3 px outside the bar: now near
  CHECK(grown.at<float>(10, 11) == 0.0f);  // 4 px outside: still far
  DepthShaping blur;
  blur.blur_sigma = 2;
  const cv::Mat blurred = prepare_depth(raw, raw.size(), blur, "bar");
  CHECK(blurred.at<float>(10, 14) > 0.2f);
  CHECK(blurred.at<float>(10, 14) < 0.8f);
}

TEST_CASE("depth files: 8/16-bit grayscale accepted, other formats named in the error", "[unit]") {
  TempDir dir;
  cv::imwrite((dir / "d16.png").string(), cv::Mat(4, 4, CV_16UC1, cv::Scalar(1000)));
  cv::imwrite((dir / "rgb.png").string(), cv::Mat(4, 4, CV_8UC3, cv::Scalar(7, 8, 9)));
  cv::imwrite((dir / "f.exr").string(), cv::Mat(4, 4, CV_32FC1, cv::Scalar(0.5)));
  CHECK(read_depth(dir / "d16.png").type() == CV_16UC1);
  const cv::Mat rgb = read_depth(dir / "rgb.png");  // saved as colour: first channel used
  CHECK(rgb.type() == CV_8UC1);
  CHECK(rgb.at<uchar>(0, 0) == 7);
  CHECK_THROWS_WITH(read_depth(dir / "missing.png"), Catch::Contains("missing.png"));
  if (fs::exists(dir / "f.exr"))  // EXR support depends on the OpenCV build
    CHECK_THROWS_WITH(read_depth(dir / "f.exr"), Catch::Contains("expected 8- or 16-bit"));
}

TEST_CASE("the shift method inpaints the frame edges it uncovers", "[unit]") {
  const int w = 40, h = 10;
  const cv::Mat img(h, w, CV_8UC3, cv::Scalar(90, 120, 150));
  const cv::Mat right = synthesize_views(img, flat_depth(w, h, 1.0f), params(3, 0, Eyes::kRight, Method::kShift)).right;
  // The 6 uncovered columns are inpainted from their neighbours, not left black: a uniform
  // image stays nearly uniform (tolerance 8 levels: OpenCV's Telea, as in the article, is not
  // exact at a frame edge), and the covered part is the image itself.
  CHECK(test::max_abs_diff(right, img) <= 8);
  S3D_CHECK_IMAGES_MATCH(right.colRange(0, w - 6), img.colRange(0, w - 6), test::kExact);
}

TEST_CASE("options are validated before any file is touched", "[unit]") {
  ParallaxOptions o;
  o.frames_dir = "f";
  o.depth_dir = "d";
  o.out_dir = "o";
  CHECK_NOTHROW(o.check());
  auto bad = [&](auto mutate, const char* what) {
    ParallaxOptions b = o;
    mutate(b);
    CHECK_THROWS_WITH(b.check(), Catch::Contains(what));
  };
  bad([](ParallaxOptions& b) { b.synthesis.parallax = -1; }, "--parallax");
  bad([](ParallaxOptions& b) { b.synthesis.convergence = 1.5f; }, "--convergence");
  bad([](ParallaxOptions& b) { b.shaping.edge_dilation = -2; }, "--edge-dilation");
  bad([](ParallaxOptions& b) { b.png_compression = 10; }, "--png-compression");
  bad([](ParallaxOptions& b) { b.out_dir.clear(); }, "--out");
  CHECK_THROWS_AS(method_names().parse("warp", "--method"), UsageError);
  CHECK_THROWS_AS(eyes_names().parse("middle", "--synthesize"), UsageError);
  CHECK(method_names().parse("remap", "--method") == Method::kRemap);
}

namespace {

// frames/ and depth/ with `count` textured frames and a near square in the depth.
struct Scene {
  TempDir dir{"s3d-parallax"};
  fs::path frames = dir / "frames", depth = dir / "depth", out = dir / "out";

  explicit Scene(int count, std::vector<int> without_depth = {}) {
    fs::create_directories(frames);
    fs::create_directories(depth);
    for (int i = 0; i < count; ++i) {
      cv::imwrite(frame_path(frames, i, ".png").string(), texture(48, 32, i + 1));
      if (std::find(without_depth.begin(), without_depth.end(), i) != without_depth.end()) continue;
      cv::Mat d = flat_depth(48, 32, 0.2f);
      d(cv::Rect(10, 8, 12, 12)).setTo(0.9f);
      write_depth16(frame_path(depth, i, ".png"), d);
    }
  }
  ParallaxOptions options() const {
    ParallaxOptions o;
    o.frames_dir = frames;
    o.depth_dir = depth;
    o.out_dir = out;
    o.threads = 2;
    return o;
  }
};

}  // namespace

TEST_CASE("the stage writes the requested eyes from the frame and depth stores", "[unit]") {
  Scene scene(3);
  auto o = scene.options();
  const auto r = synthesize_frames(o);
  CHECK(r.written == 3);
  CHECK(test::files_below(scene.out).size() == 6);
  // The files hold what the library computes for the same inputs.
  const cv::Mat frame = cv::imread(frame_path(scene.frames, 1, ".png").string());
  const cv::Mat depth = prepare_depth(read_depth(frame_path(scene.depth, 1, ".png")), frame.size(), {}, "d");
  const auto views = synthesize_views(frame, depth, o.synthesis);
  S3D_CHECK_IMAGES_MATCH(cv::imread((scene.out / "left" / "000001.png").string()), views.left, test::kExact);
  S3D_CHECK_IMAGES_MATCH(cv::imread((scene.out / "right" / "000001.png").string()), views.right, test::kExact);

  SECTION("only the synthesized eye is written") {
    Scene one(2);
    auto o1 = one.options();
    o1.synthesis.synthesize = Eyes::kRight;
    synthesize_frames(o1);
    CHECK_FALSE(fs::exists(one.out / "left"));
    CHECK(test::files_below(one.out / "right").size() == 2);
  }
}

TEST_CASE("a frame without a depth map is an error naming it, before anything is written", "[unit]") {
  Scene scene(4, {2});
  CHECK_THROWS_WITH(synthesize_frames(scene.options()), Catch::Contains("frame 2") && Catch::Contains("000002.png"));
  CHECK(test::files_below(scene.out).empty());
  // Outside the requested range it does not matter.
  auto o = scene.options();
  o.range = FrameRange::parse("0:2");
  CHECK(synthesize_frames(o).written == 2);
}

TEST_CASE("re-running resumes: finished frames are skipped, --force redoes them", "[unit]") {
  Scene scene(3);
  auto o = scene.options();
  CHECK(synthesize_frames(o).written == 3);
  const fs::path right1 = scene.out / "right" / "000001.png";
  const auto stamp = fs::last_write_time(right1);
  auto again = synthesize_frames(o);
  CHECK(again.written == 0);
  CHECK(again.skipped == 3);
  CHECK(fs::last_write_time(right1) == stamp);
  fs::remove(right1);  // as if killed between the two eyes of frame 1
  again = synthesize_frames(o);
  CHECK(again.written == 1);
  CHECK(fs::exists(right1));
  o.force = true;
  CHECK(synthesize_frames(o).written == 3);
}

TEST_CASE("s3d-parallax binary end to end", "[e2e]") {
  Scene scene(2);
  auto run = test::run_tool("s3d-parallax", {"--frames", scene.frames.string(), "--depth", scene.depth.string(), "--out",
                                             scene.out.string(), "--parallax", "4", "--convergence", "0.2", "--edge-dilation", "1"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.empty());  // stdout is for data only
  CHECK(run.err.find("2 frames synthesized") != std::string::npos);
  CHECK(test::files_below(scene.out).size() == 4);

  const auto bench = test::run_tool("s3d-parallax", {"--frames", scene.frames.string(), "--depth", scene.depth.string(),
                                                     "--benchmark", "2", "--quiet"});
  CHECK(bench.exit_code == 0);
  CHECK(bench.out.rfind("ms_per_frame ", 0) == 0);

  const auto usage = test::run_tool("s3d-parallax", {"--frames", "a", "--depth", "b", "--out", "c", "--method", "warp"});
  CHECK(usage.exit_code == 2);
  CHECK(usage.err.find("--method") != std::string::npos);

  // Colour + depth as a frame stream on stdout: the header, then frame | depth for each frame.
  const auto rgbd = test::run_tool("s3d-parallax", {"--frames", scene.frames.string(), "--depth", scene.depth.string(),
                                                    "--out", "-", "--pack", "rgbd"});
  INFO(rgbd.err);
  REQUIRE(rgbd.exit_code == 0);
  CHECK_THAT(rgbd.err, Catch::Contains("2 frames packed as colour + depth (rgbd) to stdout"));
  const std::string header = "s3d-frames 1 bgr24 96x32 first=0 count=2\n";
  REQUIRE(rgbd.out.size() == header.size() + 2 * 96 * 32 * 3);
  CHECK(rgbd.out.substr(0, header.size()) == header);
  const cv::Mat second(32, 96, CV_8UC3, const_cast<char*>(rgbd.out.data() + header.size() + 96 * 32 * 3));
  S3D_CHECK_IMAGES_MATCH(read_image(frame_path(scene.frames, 1, ".png")), second(cv::Rect(0, 0, 48, 32)), test::kExact);
  // The depth as stored (16-bit) as gray: round(255 v / 65535).
  const cv::Mat stored = cv::imread(frame_path(scene.depth, 1, ".png").string(), cv::IMREAD_UNCHANGED);
  REQUIRE(stored.type() == CV_16UC1);
  for (const cv::Point at : {cv::Point(0, 0), cv::Point(14, 12)}) {
    INFO("depth pixel (" << at.x << ", " << at.y << ") = " << stored.at<uint16_t>(at));
    const auto gray = static_cast<uchar>(std::lround(255.0 * stored.at<uint16_t>(at) / 65535.0));
    CHECK(second.at<cv::Vec3b>(at.y, 48 + at.x) == cv::Vec3b::all(gray));
  }
  CHECK(second.at<cv::Vec3b>(12, 48 + 14)[0] > second.at<cv::Vec3b>(0, 48)[0]);  // the near square is lighter
  const auto no_pad = test::run_tool("s3d-parallax", {"--frames", scene.frames.string(), "--depth", scene.depth.string(),
                                                      "--out", "-", "--pack", "vr180", "--pad", "64x64"});
  CHECK(no_pad.exit_code == 2);
  CHECK_THAT(no_pad.err, Catch::Contains("--pad: --pack vr180 takes no canvas"));
  const auto help = test::run_tool("s3d-parallax", {"--help"});
  for (const char* format : {"cross-eyed", "vr180", "rgbd", "half-rgbd", "--vr-fov", "--vr-size"})
    CHECK_THAT(help.out, Catch::Contains(format));

  fs::remove(frame_path(scene.depth, 1, ".png"));
  const auto missing = test::run_tool("s3d-parallax", {"--frames", scene.frames.string(), "--depth", scene.depth.string(),
                                                       "--out", (scene.dir / "out2").string()});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("frame 1") != std::string::npos);
  CHECK_FALSE(fs::exists(scene.dir / "out2"));
}

TEST_CASE("the forward warp's fast path gives exactly the general loop's output", "[unit]") {
  // Random depth of every kind the fast path must tell apart: smooth ramps (one target centre
  // per segment, sometimes none or two), steps (edges, occlusions, holes), noise, and
  // parallax with fractional shifts of both signs; widths that do and do not fill whole
  // vector steps.
  cv::RNG rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    const int w = trial < 4 ? 1 + trial : rng.uniform(5, 300), h = rng.uniform(1, 12);
    cv::Mat image(h, w, trial % 3 == 0 ? CV_8UC1 : CV_8UC3);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    cv::Mat depth(h, w, CV_32FC1);
    for (int y = 0; y < h; ++y) {
      float d = rng.uniform(0.f, 1.f), slope = rng.uniform(-0.05f, 0.05f);
      for (int x = 0; x < w; ++x) {
        if (rng.uniform(0, 20) == 0) d = rng.uniform(0.f, 1.f);             // a step
        if (rng.uniform(0, 30) == 0) slope = rng.uniform(-0.05f, 0.05f);    // a new ramp
        d = std::min(1.f, std::max(0.f, d + slope + (trial % 2 ? rng.uniform(-0.01f, 0.01f) : 0.f)));
        depth.at<float>(y, x) = d;
      }
    }
    const ViewShift shift{rng.uniform(-40.f, 40.f), rng.uniform(0.f, 1.f)};
    INFO("trial " << trial << ": " << w << "x" << h << " channels " << image.channels() << " gain " << shift.gain);
    const cv::Mat fast = forward_warp(image, depth, shift, 1);
    const cv::Mat general = forward_warp_reference(image, depth, shift);
    S3D_CHECK_IMAGES_MATCH(fast, general, test::kExact);  // bit-identical, no tolerance
    // Both eyes in one pass, rows split among threads: each the same as alone.
    const ViewShift other{-shift.gain, shift.convergence};
    cv::Mat a, b;
    forward_warp_pair(image, depth, shift, other, 2, a, b);
    S3D_CHECK_IMAGES_MATCH(a, fast, test::kExact);
    S3D_CHECK_IMAGES_MATCH(b, forward_warp_reference(image, depth, other), test::kExact);
  }
}

namespace {

// A near square over a far, sloped background: every eye shifts something.
cv::Mat scene_depth(int w, int h) {
  cv::Mat d(h, w, CV_32FC1);
  for (int x = 0; x < w; ++x) d.col(x).setTo(0.1f + 0.3f * x / w);
  d(cv::Rect(w / 3, h / 4, w / 3, h / 2)).setTo(0.9f);
  return d;
}

cv::Mat packed_of(const cv::Mat& frame, const cv::Mat& depth, const SynthesisParams& p, const PackedOutput& output) {
  PackedBuffers buffers;
  cv::Mat packed;
  const DepthLoader loader = [&](const cv::Mat& picture, cv::Mat& d) {
    cv::resize(depth, d, picture.size(), 0, 0, picture.size() == depth.size() ? cv::INTER_NEAREST : cv::INTER_LINEAR);
  };
  render_packed(frame, loader, p, DepthShaping{}, output, buffers, packed);
  return packed;
}

PackedOutput packed_as(stereo::Layout layout, Squeeze squeeze) {
  PackedOutput o;
  o.stereo.layout = layout;
  o.squeeze = squeeze;
  return o;
}

}  // namespace

TEST_CASE("packed output, squeezed after: exactly s3d-parallax's eyes packed by s3d-pack", "[unit]") {
  const cv::Mat frame = texture(96, 40, 3), depth = scene_depth(96, 40);
  const auto p = params(6, 0.2f, Eyes::kBoth);
  const StereoViews views = synthesize_views(frame, depth, p);
  for (auto layout : {stereo::Layout::kHalfSideBySide, stereo::Layout::kFullOverUnder, stereo::Layout::kHalfOverUnder}) {
    const PackedOutput o = packed_as(layout, Squeeze::kAfter);
    S3D_CHECK_IMAGES_MATCH(pack::pack_pair(views.left, views.right, o.stereo), packed_of(frame, depth, p, o), test::kExact);
  }
}

TEST_CASE("packed output, squeezed before: each eye warped at its packed size", "[unit]") {
  cv::Mat frame;  // a picture's texture (smoother than pixel noise, which no resampling keeps)
  cv::GaussianBlur(texture(96, 40, 4), frame, cv::Size(0, 0), 1.5);
  const cv::Mat depth = scene_depth(96, 40);
  for (auto layout : {stereo::Layout::kHalfSideBySide, stereo::Layout::kHalfOverUnder}) {
    const PackedOutput before = packed_as(layout, Squeeze::kBefore), after = packed_as(layout, Squeeze::kAfter);
    CHECK(squeezes_first(before, frame.size()));
    // No parallax: both halves are the squeezed frame itself.
    const cv::Mat still = packed_of(frame, depth, params(0, 0, Eyes::kBoth), before);
    cv::Mat squeezed(layout == stereo::Layout::kHalfSideBySide ? cv::Size(48, 40) : cv::Size(96, 20), CV_8UC3);
    pack::squeeze_into(frame, squeezed);
    const cv::Rect second = layout == stereo::Layout::kHalfSideBySide ? cv::Rect(48, 0, 48, 40) : cv::Rect(0, 20, 96, 20);
    S3D_CHECK_IMAGES_MATCH(squeezed, still(cv::Rect(cv::Point(0, 0), squeezed.size())), test::kExact);
    S3D_CHECK_IMAGES_MATCH(squeezed, still(second), test::kExact);
    // With parallax: the same picture as warping at full size then squeezing, up to the
    // resampling at depth edges: where nothing is occluded a horizontal warp commutes with a
    // vertical squeeze (hou), and a half-width warp by half the shift is a squeeze of it (hsbs).
    const auto p = params(6, 0.2f, Eyes::kBoth);
    const auto cmp = test::compare_images(packed_of(frame, depth, p, after), packed_of(frame, depth, p, before),
                                          test::Tolerance{8, 0.02, 64, "squeeze before vs after"});
    INFO(cmp.report);
    CHECK(cmp.passed);
    CHECK(cmp.mean_diff < 2);  // measured: hsbs 1.07 levels (max 31, at the square's edges), hou 0.13 (max 1)
  }
  // Odd sizes give the eyes different sizes: packed after, as s3d-pack does.
  const cv::Mat odd = texture(95, 40, 5), odd_depth = scene_depth(95, 40);
  const PackedOutput before = packed_as(stereo::Layout::kHalfSideBySide, Squeeze::kBefore);
  CHECK_FALSE(squeezes_first(before, odd.size()));
  const auto p = params(6, 0.2f, Eyes::kBoth);
  const StereoViews views = synthesize_views(odd, odd_depth, p);
  S3D_CHECK_IMAGES_MATCH(pack::pack_pair(views.left, views.right, before.stereo), packed_of(odd, odd_depth, p, before),
                         test::kExact);
}

namespace {

// The depth picture depth players read, worked out pixel by pixel: gray round(255 d) in every
// channel, near (1) = white.
cv::Mat gray_of(const cv::Mat& depth) {
  cv::Mat out(depth.size(), CV_8UC3);
  for (int y = 0; y < depth.rows; ++y)
    for (int x = 0; x < depth.cols; ++x)
      out.at<cv::Vec3b>(y, x) = cv::Vec3b::all(static_cast<uchar>(std::lround(255.0 * depth.at<float>(y, x))));
  return out;
}

// Each output pixel the mean of the two it covers along x (half up), as test_pack's reference.
cv::Mat halve_x(const cv::Mat& src) {
  cv::Mat out(src.rows, src.cols / 2, CV_8UC3);
  for (int y = 0; y < out.rows; ++y)
    for (int x = 0; x < out.cols; ++x)
      for (int c = 0; c < 3; ++c)
        out.at<cv::Vec3b>(y, x)[c] =
            static_cast<uchar>((src.at<cv::Vec3b>(y, 2 * x)[c] + src.at<cv::Vec3b>(y, 2 * x + 1)[c] + 1) / 2);
  return out;
}

// The depth s3d-parallax reads for `picture`: the test's map resized to it (packed_of's loader).
cv::Mat depth_for(const cv::Mat& depth, cv::Size picture) {
  cv::Mat d;
  cv::resize(depth, d, picture, 0, 0, picture == depth.size() ? cv::INTER_NEAREST : cv::INTER_LINEAR);
  return d;
}

}  // namespace

TEST_CASE("rgbd: the frame on the left as it is, its depth on the right, gray, near = white", "[unit]") {
  const cv::Mat frame = texture(96, 40, 6), depth = scene_depth(96, 40);
  const PackedOutput o = packed_as(stereo::Layout::kRgbd, Squeeze::kBefore);
  CHECK(packed_frame_size(o, frame.size()) == cv::Size(192, 40));
  const cv::Mat packed = packed_of(frame, depth, params(6, 0.2f, Eyes::kBoth), o);
  REQUIRE(packed.size() == cv::Size(192, 40));
  S3D_CHECK_IMAGES_MATCH(frame, packed(cv::Rect(0, 0, 96, 40)), test::kExact);
  // 1 level: OpenCV rounds exact halves to even, the reference up.
  S3D_CHECK_IMAGES_MATCH(gray_of(depth), packed(cv::Rect(96, 0, 96, 40)), test::kRounding8);
  CHECK(packed.at<cv::Vec3b>(20, 96 + 48) == cv::Vec3b::all(230));  // the near square (0.9): almost white
  CHECK(packed.at<cv::Vec3b>(0, 96) == cv::Vec3b::all(26));         // the far left edge (0.1)
  // Nothing is warped: the parallax does not change it.
  S3D_CHECK_IMAGES_MATCH(packed, packed_of(frame, depth, params(0, 0, Eyes::kBoth), o), test::kExact);
}

TEST_CASE("half-rgbd: frame and depth each squeezed to half width, the depth rendered at the half's size", "[unit]") {
  const cv::Mat frame = texture(96, 40, 7), depth = scene_depth(96, 40);
  const auto p = params(6, 0.2f, Eyes::kBoth);
  const cv::Mat before = packed_of(frame, depth, p, packed_as(stereo::Layout::kHalfRgbd, Squeeze::kBefore));
  REQUIRE(before.size() == cv::Size(96, 40));
  // 1 level: the reference averages pairs rounding half up, the squeeze may round the other way.
  S3D_CHECK_IMAGES_MATCH(halve_x(frame), before(cv::Rect(0, 0, 48, 40)), test::kRounding8);
  // --squeeze before: the depth is read at the half's size, as the squeezed eyes of hsbs are.
  S3D_CHECK_IMAGES_MATCH(gray_of(depth_for(depth, {48, 40})), before(cv::Rect(48, 0, 48, 40)), test::kRounding8);
  // --squeeze after: read at the frame's size, then squeezed like the colour.
  const cv::Mat after = packed_of(frame, depth, p, packed_as(stereo::Layout::kHalfRgbd, Squeeze::kAfter));
  S3D_CHECK_IMAGES_MATCH(halve_x(frame), after(cv::Rect(0, 0, 48, 40)), test::kRounding8);
  S3D_CHECK_IMAGES_MATCH(halve_x(gray_of(depth)), after(cv::Rect(48, 0, 48, 40)), test::kRounding8);
  // An odd width gives the depth the extra column, as hsbs gives it to the second eye.
  const cv::Mat odd = packed_of(texture(95, 40, 8), scene_depth(95, 40), p,
                                packed_as(stereo::Layout::kHalfRgbd, Squeeze::kBefore));
  CHECK(odd.size() == cv::Size(95, 40));
}

TEST_CASE("rgbd: black bars are black (farthest, flat) in the depth with --keep-bars auto", "[unit]") {
  cv::Mat frame(40, 96, CV_8UC3);
  cv::randu(frame, 40, 255);
  frame.colRange(0, 10).setTo(0);
  frame.colRange(86, 96).setTo(0);
  const cv::Mat depth = flat_depth(96, 40, 0.8f);  // a network's depth covers the bars too
  auto p = params(6, 0.2f, Eyes::kBoth);
  const PackedOutput o = packed_as(stereo::Layout::kRgbd, Squeeze::kBefore);
  const cv::Mat kept = packed_of(frame, depth, p, o);
  CHECK(cv::countNonZero(kept(cv::Rect(96, 0, 10, 40)).reshape(1)) == 0);
  CHECK(cv::countNonZero(kept(cv::Rect(182, 0, 10, 40)).reshape(1)) == 0);
  CHECK(kept.at<cv::Vec3b>(20, 96 + 48) == cv::Vec3b::all(204));  // 0.8 * 255
  p.keep_bars = KeepBars::kOff;
  const cv::Mat plain = packed_of(frame, depth, p, o);
  CHECK(plain.at<cv::Vec3b>(20, 96 + 2) == cv::Vec3b::all(204));
}

TEST_CASE("rgbd with --pad: frame and depth each centred on a black canvas", "[unit]") {
  const cv::Mat frame = texture(96, 40, 9), depth = scene_depth(96, 40);
  PackedOutput o = packed_as(stereo::Layout::kRgbd, Squeeze::kBefore);
  o.pad = cv::Size(100, 44);
  const cv::Mat packed = packed_of(frame, depth, params(6, 0.2f, Eyes::kBoth), o);
  REQUIRE(packed.size() == cv::Size(200, 44));
  S3D_CHECK_IMAGES_MATCH(frame, packed(cv::Rect(2, 2, 96, 40)), test::kExact);
  S3D_CHECK_IMAGES_MATCH(gray_of(depth), packed(cv::Rect(102, 2, 96, 40)), test::kRounding8);
  CHECK(cv::countNonZero(packed(cv::Rect(0, 0, 200, 2)).reshape(1)) == 0);
  CHECK(cv::countNonZero(packed(cv::Rect(100, 0, 2, 44)).reshape(1)) == 0);
}

TEST_CASE("vr180 and cross-eyed from s3d-parallax: exactly its eyes packed as s3d-pack packs them", "[unit]") {
  const cv::Mat frame = texture(96, 40, 10), depth = scene_depth(96, 40);
  const auto p = params(6, 0.2f, Eyes::kBoth);
  const StereoViews views = synthesize_views(frame, depth, p);
  PackedOutput vr = packed_as(stereo::Layout::kVr180, Squeeze::kBefore);
  vr.vr.fov = 100;
  CHECK_FALSE(squeezes_first(vr, frame.size()));
  CHECK(packed_frame_size(vr, frame.size()) == cv::Size(2 * pack::equirect_eye_size(vr.vr, frame.size()),
                                                         pack::equirect_eye_size(vr.vr, frame.size())));
  S3D_CHECK_IMAGES_MATCH(pack::pack_pair(views.left, views.right, vr.stereo, vr.vr), packed_of(frame, depth, p, vr),
                         test::kExact);
  const PackedOutput crossed = packed_as(stereo::Layout::kCrossEyed, Squeeze::kBefore);
  const cv::Mat c = packed_of(frame, depth, p, crossed);
  S3D_CHECK_IMAGES_MATCH(views.right, c(cv::Rect(0, 0, 96, 40)), test::kExact);
  S3D_CHECK_IMAGES_MATCH(views.left, c(cv::Rect(96, 0, 96, 40)), test::kExact);
  // --pad has no meaning on the sphere, and the fixed-order layouts take no --order.
  vr.pad = cv::Size(100, 50);
  CHECK_THROWS_WITH(vr.check(), Catch::StartsWith("--pad: --pack vr180 takes no canvas"));
  PackedOutput half = packed_as(stereo::Layout::kHalfRgbd, Squeeze::kBefore);
  half.stereo.order = stereo::EyeOrder::kRightFirst;
  CHECK_THROWS_WITH(half.check(), Catch::StartsWith("--order right-first: --pack half-rgbd"));
}

TEST_CASE("black bars: letterbox, pillarbox and windowbox are found, a dark picture or a fade is not bars", "[unit]") {
  cv::Mat frame(180, 320, CV_8UC3);
  cv::randu(frame, 40, 255);
  const auto with_bars = [&](int top, int bottom, int left, int right) {
    cv::Mat f = frame.clone();
    // Compression noise on the black, up to kBarBlackLevel.
    cv::Mat noise(f.size(), CV_8UC3);
    cv::randu(noise, 0, kBarBlackLevel + 1);
    const auto blacken = [&](const cv::Rect& r) { noise(r).copyTo(f(r)); };
    if (top) blacken({0, 0, f.cols, top});
    if (bottom) blacken({0, f.rows - bottom, f.cols, bottom});
    if (left) blacken({0, 0, left, f.rows});
    if (right) blacken({f.cols - right, 0, right, f.rows});
    return f;
  };
  const auto check = [](const FrameBars& b, int top, int bottom, int left, int right) {
    CHECK(b.top == top);
    CHECK(b.bottom == bottom);
    CHECK(b.left == left);
    CHECK(b.right == right);
  };
  check(detect_black_bars(with_bars(22, 22, 0, 0)), 22, 22, 0, 0);    // letterbox
  check(detect_black_bars(with_bars(0, 0, 40, 40)), 0, 0, 40, 40);    // pillarbox
  check(detect_black_bars(with_bars(10, 12, 30, 31)), 10, 12, 30, 31);  // windowbox
  check(detect_black_bars(frame), 0, 0, 0, 0);
  check(detect_black_bars(with_bars(0, 0, 1, 0)), 0, 0, 0, 0);        // one dark column is picture
  check(detect_black_bars(cv::Mat::zeros(180, 320, CV_8UC3)), 0, 0, 0, 0);  // a fade to black
  // A black half is a dark picture, not a bar (bars are at most 40% of a side).
  check(detect_black_bars(with_bars(0, 0, 0, 200)), 0, 0, 0, 0);
  // One bright pixel in the border row ends the bar there.
  cv::Mat lit = with_bars(22, 22, 0, 0);
  lit.at<cv::Vec3b>(0, 100) = {200, 200, 200};
  check(detect_black_bars(lit), 0, 22, 0, 0);
}

TEST_CASE("black bars stay at screen depth and unwarped in both eyes (--keep-bars auto), not with off", "[unit]") {
  // A pillarboxed frame (40 px bars) whose depth, as a network would give it, covers the bars
  // too: near (0.9) everywhere, so every pixel moves by 0.9 * parallax.
  cv::Mat frame(120, 320, CV_8UC3);
  cv::randu(frame, 40, 255);
  frame.colRange(0, 40).setTo(0);
  frame.colRange(280, 320).setTo(0);
  const cv::Mat depth(frame.size(), CV_32FC1, cv::Scalar(0.9));
  SynthesisParams params;
  params.parallax = 15;
  params.convergence = 0;  // (auto would put the uniform depth on the screen: no shift)
  for (Method method : {Method::kForward, Method::kRemap, Method::kShift}) {
    INFO("method " << method_names().name(method));
    params.method = method;
    params.keep_bars = KeepBars::kAuto;
    const StereoViews kept = synthesize_views(frame, depth, params);
    for (const cv::Mat* view : {&kept.left, &kept.right}) {
      // The bars are the source's, exactly: nothing warped into them.
      S3D_CHECK_IMAGES_MATCH(frame.colRange(0, 40), view->colRange(0, 40), test::kExact);
      S3D_CHECK_IMAGES_MATCH(frame.colRange(280, 320), view->colRange(280, 320), test::kExact);
    }
    // off: the bars move with the picture, so picture content crosses into a bar in one eye.
    params.keep_bars = KeepBars::kOff;
    const StereoViews warped = synthesize_views(frame, depth, params);
    const double lit = cv::sum(warped.left.colRange(0, 40))[0] + cv::sum(warped.left.colRange(280, 320))[0] +
                       cv::sum(warped.right.colRange(0, 40))[0] + cv::sum(warped.right.colRange(280, 320))[0];
    CHECK(lit > 0);
  }
}

TEST_CASE("the forward warp fills the frame's outer edges with picture, not streaks of one stretched column",
          "[unit]") {
  // Uniformly near (0.9): the left eye's content moves right by 13.5 px and the right eye's
  // left, so a 13-px band at the left edge of the left eye (right edge of the right eye) has
  // no source. Filled by stretching, each of its rows would repeat one source pixel.
  cv::Mat frame(120, 320, CV_8UC3);
  cv::randu(frame, 0, 255);
  const cv::Mat depth(frame.size(), CV_32FC1, cv::Scalar(0.9));
  SynthesisParams params;
  params.parallax = 15;
  params.convergence = 0;  // (auto would put the uniform depth on the screen: no shift)
  const auto distinct_columns = [](const cv::Mat& band) {
    // How many of the band's columns differ from the outermost one somewhere.
    int distinct = 0;
    for (int x = 1; x < band.cols; ++x) distinct += cv::norm(band.col(x), band.col(0), cv::NORM_INF) > 0;
    return distinct;
  };
  // The forward warp (s3d's method, the default); remap and shift reproduce the article, edges included.
  {
    const StereoViews views = synthesize_views(frame, depth, params);
    const cv::Mat left_band = views.left.colRange(0, 12), right_band = views.right.colRange(320 - 12, 320);
    CHECK(distinct_columns(left_band) == 11);
    CHECK(distinct_columns(right_band) == 11);
    // And the band is the picture mirrored about its inner edge, column 13: x <- 26 - x.
    cv::Mat mirrored;
    cv::flip(views.left.colRange(15, 27), mirrored, 1);
    S3D_CHECK_IMAGES_MATCH(mirrored, left_band, test::kExact);
  }
}

TEST_CASE("auto convergence: the far 10 % of the picture behind the screen, bars left out", "[unit]") {
  // A ramp 0..1 across 400 columns: the 10th percentile is 0.1. Tolerance 0.005: every other
  // pixel is counted, on 1024 levels.
  cv::Mat ramp(100, 400, CV_32FC1);
  for (int x = 0; x < ramp.cols; ++x) ramp.col(x).setTo((x + 0.5f) / ramp.cols);
  CHECK(auto_convergence(ramp, FrameBars{}) == Approx(0.1).margin(0.005));
  // Pillarbox bars (their depth 0, as a network gives black) are not picture: left out, the
  // percentile is the picture's — columns 100..399 hold 0.25..1, their 10th percentile 0.325.
  cv::Mat barred = ramp.clone();
  barred.colRange(0, 100).setTo(0);
  FrameBars bars;
  bars.left = 100;
  CHECK(auto_convergence(barred, bars) == Approx(0.325).margin(0.005));
  CHECK(auto_convergence(barred, FrameBars{}) == Approx(0.0).margin(0.005));  // with the bars: 25 % at 0
  // A picture of two depths: the far one (70 %) is the screen plane.
  cv::Mat two(100, 400, CV_32FC1, cv::Scalar(0.3));
  two.colRange(280, 400).setTo(0.8);
  CHECK(auto_convergence(two, FrameBars{}) == Approx(0.3).margin(0.005));
}

TEST_CASE("auto convergence (the default) keeps the far background on the screen, the near object in front", "[unit]") {
  // Background at depth 0.3 over 70 % of the frame, a near block at 0.8: with auto the
  // background stays put in both eyes and the block moves by 15 * (0.8 - 0.3) = 7.5 px per
  // eye; with --convergence 0 everything moves (the background by 4.5 px).
  cv::Mat frame(120, 400, CV_8UC3);
  cv::randu(frame, 0, 255);
  cv::Mat depth(frame.size(), CV_32FC1, cv::Scalar(0.3));
  depth(cv::Rect(200, 0, 120, 120)).setTo(0.8);
  SynthesisParams params;
  params.parallax = 15;
  params.keep_bars = KeepBars::kOff;
  REQUIRE_FALSE(params.convergence);  // auto is the default
  const StereoViews views = synthesize_views(frame, depth, params);
  const cv::Rect background(40, 0, 100, 120);  // far from the block and the frame's edges
  S3D_CHECK_IMAGES_MATCH(frame(background), views.left(background), test::kExact);
  S3D_CHECK_IMAGES_MATCH(frame(background), views.right(background), test::kExact);
  // The block's middle moved 7.5 px to the right in the left eye: the best whole-pixel match
  // of the source's block in the view is 7 or 8 px to the right.
  const cv::Rect inner(230, 10, 60, 100);
  int best = -1;
  double best_error = 0;
  for (int k = 0; k <= 15; ++k) {
    const double error = cv::norm(views.left(inner + cv::Point(k, 0)), frame(inner), cv::NORM_L1);
    if (best < 0 || error < best_error) best = k, best_error = error;
  }
  CHECK((best == 7 || best == 8));
  params.convergence = 0;
  const StereoViews all_front = synthesize_views(frame, depth, params);
  CHECK(cv::norm(frame(background), all_front.left(background), cv::NORM_INF) > 0);
}
