// s3d-pack: geometry and content of every format, padding, anaglyph pixels, eye order,
// cross-eyed, the VR180 projection (dots at known angles, the field of view, black outside),
// argument and input errors, resume, write failures, and the binary end to end.
#include <catch2/catch.hpp>
#include <cmath>
#include <opencv2/imgcodecs.hpp>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "imageio/image_file.hpp"
#include "pack/pack_frames.hpp"
#include "pack/pack_pair.hpp"
#include "pack/vr180_projection.hpp"
#include "support/image_compare.hpp"
#include "support/test_support.hpp"

using namespace s3d;
using namespace s3d::pack;
using s3d::stereo::EyeOrder;
using s3d::stereo::Layout;
using s3d::test::TempDir;

namespace {

cv::Mat noise_image(cv::Size size, uint64_t seed) {
  cv::Mat img(size, CV_8UC3);
  cv::RNG rng(seed);
  rng.fill(img, cv::RNG::UNIFORM, 0, 256);
  return img;
}

// Independent 2:1 area reference: each output pixel is the mean of the two source pixels
// it covers (along x for side-by-side, along y for over-under).
cv::Mat halve_by_averaging(const cv::Mat& src, bool along_x) {
  cv::Mat out(along_x ? src.rows : src.rows / 2, along_x ? src.cols / 2 : src.cols, CV_8UC3);
  for (int y = 0; y < out.rows; ++y)
    for (int x = 0; x < out.cols; ++x)
      for (int c = 0; c < 3; ++c) {
        const cv::Vec3b a = along_x ? src.at<cv::Vec3b>(y, 2 * x) : src.at<cv::Vec3b>(2 * y, x);
        const cv::Vec3b b = along_x ? src.at<cv::Vec3b>(y, 2 * x + 1) : src.at<cv::Vec3b>(2 * y + 1, x);
        out.at<cv::Vec3b>(y, x)[c] = static_cast<uchar>((a[c] + b[c] + 1) / 2);
      }
  return out;
}

// Writes `count` noise pairs as PNG frame stores `left/` and `right/` under `root`.
void make_pairs(const fs::path& root, int first, int count, cv::Size size) {
  fs::create_directories(root / "left");
  fs::create_directories(root / "right");
  for (int i = first; i < first + count; ++i) {
    cv::imwrite(frame_path(root / "left", i, ".png").string(), noise_image(size, 2 * i + 1));
    cv::imwrite(frame_path(root / "right", i, ".png").string(), noise_image(size, 2 * i + 2));
  }
}

PackOptions options_for(const fs::path& root, Layout layout, std::string image_format = "png") {
  PackOptions o;
  o.left_dir = root / "left";
  o.right_dir = root / "right";
  o.out_dir = root / "out";
  o.stereo.layout = layout;
  o.image_format = std::move(image_format);
  o.threads = 2;
  return o;
}

}  // namespace

TEST_CASE("every layout packs to its packed size", "[unit]") {
  const cv::Size eye(1920, 1080);
  const cv::Mat l = noise_image(eye, 1), r = noise_image(eye, 2);
  for (const auto& item : stereo::layout_names().items()) {
    INFO(item.name);
    const cv::Size packed = pack_pair(l, r, {item.value, EyeOrder::kLeftFirst}).size();
    CHECK(packed == packed_pair_size({item.value, EyeOrder::kLeftFirst}, eye));
    // vr180: two square equirect eyes, 2880 each at the default 90 degrees (capped: keeping the
    // centre's 960 px/rad would take pi * 960 = 3016).
    CHECK(packed == (item.value == Layout::kVr180 ? cv::Size(5760, 2880) : stereo::packed_size(item.value, eye)));
  }
}

TEST_CASE("cross-eyed: the right eye on the left, the left eye on the right, both full", "[unit]") {
  const cv::Mat l = noise_image({64, 48}, 11), r = noise_image({64, 48}, 12);
  const cv::Mat crossed = pack_pair(l, r, {Layout::kCrossEyed, EyeOrder::kLeftFirst});
  REQUIRE(crossed.size() == cv::Size(128, 48));
  S3D_CHECK_IMAGES_MATCH(crossed(cv::Rect(0, 0, 64, 48)), r, test::kExact);
  S3D_CHECK_IMAGES_MATCH(crossed(cv::Rect(64, 0, 64, 48)), l, test::kExact);
}

TEST_CASE("full formats keep both eyes exactly, in the requested order", "[unit]") {
  const cv::Mat l = noise_image({64, 48}, 1), r = noise_image({64, 48}, 2);
  const cv::Mat fsbs = pack_pair(l, r, {Layout::kFullSideBySide, EyeOrder::kLeftFirst});
  S3D_CHECK_IMAGES_MATCH(fsbs(cv::Rect(0, 0, 64, 48)), l, test::kExact);
  S3D_CHECK_IMAGES_MATCH(fsbs(cv::Rect(64, 0, 64, 48)), r, test::kExact);
  const cv::Mat fou = pack_pair(l, r, {Layout::kFullOverUnder, EyeOrder::kLeftFirst});
  S3D_CHECK_IMAGES_MATCH(fou(cv::Rect(0, 0, 64, 48)), l, test::kExact);
  S3D_CHECK_IMAGES_MATCH(fou(cv::Rect(0, 48, 64, 48)), r, test::kExact);
  const cv::Mat crossed = pack_pair(l, r, {Layout::kFullSideBySide, EyeOrder::kRightFirst});
  S3D_CHECK_IMAGES_MATCH(crossed(cv::Rect(0, 0, 64, 48)), r, test::kExact);
  S3D_CHECK_IMAGES_MATCH(crossed(cv::Rect(64, 0, 64, 48)), l, test::kExact);
  const cv::Mat crossed_ou = pack_pair(l, r, {Layout::kFullOverUnder, EyeOrder::kRightFirst});
  S3D_CHECK_IMAGES_MATCH(crossed_ou(cv::Rect(0, 0, 64, 48)), r, test::kExact);
}

TEST_CASE("half formats match a 2:1 area average of each eye", "[unit]") {
  const cv::Mat l = noise_image({64, 48}, 3), r = noise_image({64, 48}, 4);
  // Tolerance 1 level: the reference rounds half up, INTER_AREA may round the other way.
  const cv::Mat hsbs = pack_pair(l, r, {Layout::kHalfSideBySide, EyeOrder::kLeftFirst});
  S3D_CHECK_IMAGES_MATCH(hsbs(cv::Rect(0, 0, 32, 48)), halve_by_averaging(l, true), test::kRounding8);
  S3D_CHECK_IMAGES_MATCH(hsbs(cv::Rect(32, 0, 32, 48)), halve_by_averaging(r, true), test::kRounding8);
  const cv::Mat hou = pack_pair(l, r, {Layout::kHalfOverUnder, EyeOrder::kLeftFirst});
  S3D_CHECK_IMAGES_MATCH(hou(cv::Rect(0, 0, 64, 24)), halve_by_averaging(l, false), test::kRounding8);
  S3D_CHECK_IMAGES_MATCH(hou(cv::Rect(0, 24, 64, 24)), halve_by_averaging(r, false), test::kRounding8);
  const cv::Mat crossed = pack_pair(l, r, {Layout::kHalfSideBySide, EyeOrder::kRightFirst});
  S3D_CHECK_IMAGES_MATCH(crossed(cv::Rect(0, 0, 32, 48)), halve_by_averaging(r, true), test::kRounding8);
}

TEST_CASE("odd sizes: half formats give the second eye the extra column or row", "[unit]") {
  const cv::Mat l = noise_image({33, 21}, 5), r = noise_image({33, 21}, 6);
  CHECK(pack_pair(l, r, {Layout::kHalfSideBySide, EyeOrder::kLeftFirst}).size() == cv::Size(33, 21));
  CHECK(pack_pair(l, r, {Layout::kHalfOverUnder, EyeOrder::kLeftFirst}).size() == cv::Size(33, 21));
}

TEST_CASE("anaglyph pixels equal the hand-computed Dubois and colour mixes", "[unit]") {
  // One pixel, left RGB (200,100,50), right RGB (10,150,250); OpenCV stores BGR.
  const cv::Mat l(1, 1, CV_8UC3, cv::Scalar(50, 100, 200)), r(1, 1, CV_8UC3, cv::Scalar(250, 150, 10));
  // By hand with the Dubois red-cyan matrices:
  //  R =  .456*200 + .500*100 + .176*50 - .043*10 - .088*150 - .002*250 = 135.87 -> 136
  //  G = -.040*200 - .038*100 - .016*50 + .378*10 + .734*150 - .018*250 =  96.78 ->  97
  //  B = -.015*200 - .021*100 - .005*50 - .072*10 - .113*150 + 1.226*250 = 283.48 -> 255
  const cv::Vec3b dubois = pack_pair(l, r, {Layout::kAnaglyph, EyeOrder::kLeftFirst}).at<cv::Vec3b>(0, 0);
  CHECK(dubois == cv::Vec3b(255, 97, 136));
  // Plain colour anaglyph: red from the left eye, green and blue from the right.
  CHECK(pack_pair(l, r, {Layout::kAnaglyphColor, EyeOrder::kLeftFirst}).at<cv::Vec3b>(0, 0) == cv::Vec3b(250, 150, 200));
  // right-first swaps which eye feeds the red channel.
  CHECK(pack_pair(l, r, {Layout::kAnaglyphColor, EyeOrder::kRightFirst}).at<cv::Vec3b>(0, 0) == cv::Vec3b(50, 100, 10));
}

TEST_CASE("padding centres a 1920x816 pair on black bars, pixels unchanged", "[unit]") {
  const cv::Mat l = noise_image({1920, 816}, 7), r = noise_image({1920, 816}, 8);
  const cv::Mat pl = pad_to_canvas(l, {1920, 1080}), pr = pad_to_canvas(r, {1920, 1080});
  const cv::Mat fsbs = pack_pair(pl, pr, {Layout::kFullSideBySide, EyeOrder::kLeftFirst});
  REQUIRE(fsbs.size() == cv::Size(3840, 1080));
  const int bar = (1080 - 816) / 2;  // 132 rows above and below
  CHECK(cv::countNonZero(fsbs(cv::Rect(0, 0, 3840, bar)).reshape(1)) == 0);
  CHECK(cv::countNonZero(fsbs(cv::Rect(0, bar + 816, 3840, bar)).reshape(1)) == 0);
  S3D_CHECK_IMAGES_MATCH(fsbs(cv::Rect(0, bar, 1920, 816)), l, test::kExact);
  S3D_CHECK_IMAGES_MATCH(fsbs(cv::Rect(1920, bar, 1920, 816)), r, test::kExact);
  // Pillarbox too, and never a downscale.
  const cv::Mat narrow = pad_to_canvas(noise_image({1440, 1080}, 9), {1920, 1080});
  CHECK(cv::countNonZero(narrow(cv::Rect(0, 0, 240, 1080)).reshape(1)) == 0);
  CHECK_THROWS_WITH(pad_to_canvas(l, {1280, 720}), Catch::Contains("larger than the canvas"));
}

namespace {

constexpr double kPi = 3.14159265358979323846;

// A black eye with a Gaussian dot (sigma 1.2 px) centred at (x0, y0), in pixel coordinates.
cv::Mat dot_image(cv::Size size, double x0, double y0) {
  cv::Mat img(size, CV_8UC3, cv::Scalar::all(0));
  for (int y = 0; y < size.height; ++y)
    for (int x = 0; x < size.width; ++x) {
      const double d2 = (x - x0) * (x - x0) + (y - y0) * (y - y0);
      img.at<cv::Vec3b>(y, x) = cv::Vec3b::all(cv::saturate_cast<uchar>(255 * std::exp(-d2 / (2 * 1.2 * 1.2))));
    }
  return img;
}

// Where the ray through pixel (x, y) of a pinhole picture (W x H, horizontal field of view
// `fov` degrees, centred straight ahead) lands on an E x E equirect image of the front half
// sphere, worked out here from the angles: longitude = atan(u / f), latitude = atan(-v /
// hypot(u, f)), u, v the offsets from the picture's centre, f = (W/2) / tan(fov/2).
cv::Point2d expected_equirect(cv::Size eye, double fov, int e, double x, double y) {
  const double f = eye.width / 2.0 / std::tan(fov / 2 * kPi / 180);
  const double u = x - (eye.width - 1) / 2.0, v = y - (eye.height - 1) / 2.0;
  const double lon = std::atan2(u, f), lat = std::atan2(-v, std::hypot(u, f));
  return {e * (lon / kPi + 0.5) - 0.5, e * (0.5 - lat / kPi) - 0.5};
}

// Intensity-weighted centre of the first channel within `radius` px of `around`.
cv::Point2d centroid(const cv::Mat& img, cv::Point2d around, int radius) {
  double sum = 0, sx = 0, sy = 0;
  for (int y = std::max(0, int(around.y) - radius); y <= std::min(img.rows - 1, int(around.y) + radius); ++y)
    for (int x = std::max(0, int(around.x) - radius); x <= std::min(img.cols - 1, int(around.x) + radius); ++x) {
      const double w = img.at<cv::Vec3b>(y, x)[0];
      sum += w;
      sx += w * x;
      sy += w * y;
    }
  return sum > 0 ? cv::Point2d(sx / sum, sy / sum) : cv::Point2d(-1, -1);
}

}  // namespace

TEST_CASE("vr180: the equirect eye size keeps the picture's centre resolution, or is given", "[unit]") {
  Vr180Options o;  // 90 degrees: f = W / 2
  CHECK(vr_focal_length({320, 180}, 90) == Approx(160));
  CHECK(equirect_eye_size(o, {320, 180}) == 504);    // pi * 160 = 502.7, rounded up to even
  CHECK(equirect_eye_size(o, {1920, 1080}) == 2880);  // pi * 960 = 3016: capped at 5760x2880
  o.fov = 120;                                        // f = 160 / tan 60 = 92.4, pi f = 290.2
  CHECK(equirect_eye_size(o, {320, 180}) == 292);
  o.eye_size = 1000;
  CHECK(equirect_eye_size(o, {1920, 1080}) == 1000);
  CHECK(project_to_equirect(cv::Mat(180, 320, CV_8UC3, cv::Scalar::all(9)), o).size() == cv::Size(1000, 1000));
}

TEST_CASE("vr180: dots at known angles land where the angles put them on the half sphere", "[unit]") {
  const cv::Size eye(320, 180);
  for (double fov : {90.0, 120.0, 60.0}) {
    Vr180Options o;
    o.fov = fov;
    const int e = equirect_eye_size(o, eye);
    // The picture's centre, the corners' neighbourhoods, and points off both axes.
    const cv::Point2d dots[] = {{159.5, 89.5}, {250, 40}, {20, 160}, {160, 12}, {300, 89.5}, {8, 8}, {311, 171}};
    for (const auto& dot : dots) {
      INFO("fov " << fov << ", dot at (" << dot.x << ", " << dot.y << ")");
      const cv::Mat equirect = project_to_equirect(dot_image(eye, dot.x, dot.y), o);
      REQUIRE(equirect.size() == cv::Size(e, e));
      const cv::Point2d want = expected_equirect(eye, fov, e, dot.x, dot.y);
      const cv::Point2d got = centroid(equirect, want, 12);
      INFO("expected (" << want.x << ", " << want.y << "), got (" << got.x << ", " << got.y << ")");
      // Tolerance 0.3 equirect px: the dot is resampled bilinearly from 1/32-px fixed-point
      // positions, and the mapping bends slightly across the dot (measured: at most 0.094 px).
      CHECK(std::abs(got.x - want.x) < 0.3);
      CHECK(std::abs(got.y - want.y) < 0.3);
    }
  }
  // The picture's centre is the sphere's front: the equirect's centre.
  const cv::Point2d centre = expected_equirect(eye, 90, 504, 159.5, 89.5);
  CHECK(centre.x == Approx(251.5));
  CHECK(centre.y == Approx(251.5));
}

TEST_CASE("vr180: the picture covers its field of view, the rest of the half sphere is black", "[unit]") {
  const cv::Size eye(320, 180);
  const cv::Mat white(eye, CV_8UC3, cv::Scalar::all(255));
  for (double fov : {90.0, 140.0}) {
    Vr180Options o;
    o.fov = fov;
    const cv::Mat equirect = project_to_equirect(white, o);
    const int e = equirect.rows;
    const double f = eye.width / 2.0 / std::tan(fov / 2 * kPi / 180);
    int inside = 0, outside = 0, wrong = 0;
    for (int j = 0; j < e; ++j)
      for (int i = 0; i < e; ++i) {
        // Where this equirect pixel's ray meets the picture, worked out from its angles.
        const double lon = kPi * ((i + 0.5) / e - 0.5), lat = kPi * (0.5 - (j + 0.5) / e);
        const double x = (eye.width - 1) / 2.0 + f * std::tan(lon);
        const double y = (eye.height - 1) / 2.0 - f * std::tan(lat) / std::cos(lon);
        const uchar v = equirect.at<cv::Vec3b>(j, i)[0];
        // Inside (a margin of 0.05 px for the maps' 1/32-px positions): the picture's value
        // exactly; more than 1 px outside (beyond bilinear reach): black exactly.
        if (x >= 0.05 && x <= eye.width - 1.05 && y >= 0.05 && y <= eye.height - 1.05) {
          ++inside;
          wrong += v != 255;
        } else if (x <= -1.05 || x >= eye.width + 0.05 || y <= -1.05 || y >= eye.height + 0.05) {
          ++outside;
          wrong += v != 0;
        }
      }
    INFO("fov " << fov << ": " << inside << " px inside, " << outside << " outside");
    CHECK(wrong == 0);
    CHECK(inside > 0);
    CHECK(outside > 0);
    // The centre row spans exactly the field of view: fov / 180 of the width is lit.
    cv::Mat centre_row;
    cv::extractChannel(equirect.row(e / 2), centre_row, 0);
    const int lit = cv::countNonZero(centre_row);
    INFO(lit << " of " << e << " px lit on the centre row");
    CHECK(std::abs(lit - e * fov / 180) <= 2);
  }
}

TEST_CASE("vr180 packs the left eye's half sphere on the left, the right eye's on the right", "[unit]") {
  const cv::Mat l(90, 160, CV_8UC3, cv::Scalar(10, 20, 30)), r(90, 160, CV_8UC3, cv::Scalar(200, 100, 50));
  Vr180Options o;
  o.eye_size = 200;
  const cv::Mat packed = pack_pair(l, r, {Layout::kVr180, EyeOrder::kLeftFirst}, o);
  REQUIRE(packed.size() == cv::Size(400, 200));
  CHECK(packed.at<cv::Vec3b>(100, 100) == cv::Vec3b(10, 20, 30));
  CHECK(packed.at<cv::Vec3b>(100, 300) == cv::Vec3b(200, 100, 50));
  CHECK(packed.at<cv::Vec3b>(5, 100) == cv::Vec3b(0, 0, 0));  // straight up: outside the picture
  S3D_CHECK_IMAGES_MATCH(packed(cv::Rect(0, 0, 200, 200)), project_to_equirect(l, o), test::kExact);
  S3D_CHECK_IMAGES_MATCH(packed(cv::Rect(200, 0, 200, 200)), project_to_equirect(r, o), test::kExact);
}

TEST_CASE("pack_frames packs a range, skips finished frames, and --force redoes them", "[unit]") {
  TempDir dir;
  make_pairs(dir.path(), 10, 5, {40, 30});
  auto o = options_for(dir.path(), Layout::kFullSideBySide);
  o.range = FrameRange::parse("11:14");
  auto first = pack_frames(o);
  CHECK(first.written == 3);
  CHECK(first.skipped == 0);
  auto outs = list_frames(dir / "out");
  REQUIRE(outs.size() == 3);
  CHECK(outs.front().index == 11);
  CHECK(outs.back().index == 13);
  const cv::Mat packed = read_image(outs.front().path);
  S3D_CHECK_IMAGES_MATCH(packed(cv::Rect(0, 0, 40, 30)), read_image(frame_path(dir / "left", 11, ".png")), test::kExact);

  const auto before = fs::last_write_time(outs.front().path);
  auto again = pack_frames(o);  // resume: everything present, nothing written
  CHECK(again.written == 0);
  CHECK(again.skipped == 3);
  CHECK(fs::last_write_time(outs.front().path) == before);

  o.range = FrameRange();  // the rest of the input
  auto rest = pack_frames(o);
  CHECK(rest.written == 2);
  CHECK(rest.skipped == 3);
  o.force = true;
  CHECK(pack_frames(o).written == 5);
}

TEST_CASE("a missing or mismatched right frame is an error naming it, and nothing is written", "[unit]") {
  TempDir dir;
  make_pairs(dir.path(), 0, 4, {40, 30});
  auto o = options_for(dir.path(), Layout::kHalfSideBySide);
  fs::remove(frame_path(dir / "right", 2, ".png"));
  CHECK_THROWS_WITH(pack_frames(o), Catch::Contains("frame 2") && Catch::Contains("no right eye"));
  CHECK(test::files_below(dir / "out").empty());

  cv::imwrite(frame_path(dir / "right", 2, ".png").string(), noise_image({42, 30}, 1));
  CHECK_THROWS_WITH(pack_frames(o), Catch::Contains("000002.png") && Catch::Contains("42x30") &&
                                        Catch::Contains("40x30"));
  CHECK(test::files_below(dir / "out").empty());

  auto padded = options_for(dir.path(), Layout::kFullSideBySide);
  padded.range = FrameRange::parse("0:2");
  padded.pad = cv::Size(32, 32);
  CHECK_THROWS_WITH(pack_frames(padded), Catch::Contains("larger than --pad 32x32"));
  CHECK(test::files_below(dir / "out").empty());
}

TEST_CASE("options are checked before any frame is read", "[unit]") {
  PackOptions o;
  CHECK_THROWS_AS(o.check(), UsageError);
  o.left_dir = "l";
  o.right_dir = "r";
  o.out_dir = "o";
  CHECK_NOTHROW(o.check());
  o.image_format = "gif";
  CHECK_THROWS_WITH(o.check(), Catch::Contains("gif"));
  o.image_format = "jpg";
  o.jpeg_quality = 0;
  CHECK_THROWS_AS(o.check(), UsageError);
  o.jpeg_quality = 95;
  o.stereo.layout = Layout::kRgbd;  // needs the depth: s3d-parallax makes it
  CHECK_THROWS_WITH(o.check(), Catch::StartsWith("--format rgbd") && Catch::Contains("s3d-parallax"));
  o.stereo.layout = Layout::kHalfRgbd;
  CHECK_THROWS_WITH(o.check(), Catch::StartsWith("--format half-rgbd") && Catch::Contains("s3d-parallax"));
  o.stereo.layout = Layout::kVr180;
  CHECK_NOTHROW(o.check());
  o.vr.fov = 175;
  CHECK_THROWS_WITH(o.check(), "--vr-fov: expected 10..170, got 175");
  o.vr.fov = 90;
  o.pad = cv::Size(1920, 1080);
  CHECK_THROWS_WITH(o.check(), Catch::StartsWith("--pad: --format vr180 takes no canvas"));
  o.pad.reset();
  o.stereo = {Layout::kCrossEyed, EyeOrder::kRightFirst};
  CHECK_THROWS_WITH(o.check(), Catch::StartsWith("--order right-first: --format cross-eyed"));
  CHECK(parse_size("1920x1080", "--pad") == cv::Size(1920, 1080));
  for (const char* bad : {"1920", "1920x", "x1080", "0x10", "19x10x2", "-5x10"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_size(bad, "--pad"), UsageError);
  }
}

TEST_CASE("a failed write mid-run leaves no partial frame under a final name", "[unit]") {
  TempDir dir;
  make_pairs(dir.path(), 0, 3, {300, 200});
  auto o = options_for(dir.path(), Layout::kFullSideBySide);
  o.threads = 1;
  bool threw = false;
  {
    test::FileSizeLimit cap(64 * 1024);  // below one packed PNG of noise (~360 kB): a real EFBIG
    try {
      pack_frames(o);
    } catch (const Error& e) {
      threw = true;
      CHECK_THAT(e.what(), Catch::Contains("000000.png"));
    }
  }
  CHECK(threw);
  CHECK(test::files_below(dir / "out").empty());  // neither final nor temp files
  CHECK(pack_frames(o).written == 3);             // and a re-run completes the job
}

TEST_CASE("s3d-pack binary: end to end, usage errors exit 2, input errors exit 1", "[e2e]") {
  TempDir dir;
  make_pairs(dir.path(), 0, 3, {64, 36});
  const std::string L = (dir / "left").string(), R = (dir / "right").string(), O = (dir / "out").string();

  auto ok = test::run_tool("s3d-pack", {"--left", L, "--right", R, "--out", O, "--format", "fou", "--image-format",
                                        "png", "--pad", "64x40", "--threads", "2"});
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.out.empty());  // stdout is for data only
  CHECK_THAT(ok.err, Catch::Contains("3 frames packed"));
  const cv::Mat packed = read_image(frame_path(dir / "out", 1, ".png"));
  REQUIRE(packed.size() == cv::Size(64, 80));
  S3D_CHECK_IMAGES_MATCH(packed(cv::Rect(0, 2, 64, 36)), read_image(frame_path(dir / "left", 1, ".png")), test::kExact);
  S3D_CHECK_IMAGES_MATCH(packed(cv::Rect(0, 42, 64, 36)), read_image(frame_path(dir / "right", 1, ".png")), test::kExact);

  auto again = test::run_tool("s3d-pack", {"--left", L, "--right", R, "--out", O, "--format", "fou",
                                           "--image-format", "png", "--pad", "64x40"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("0 frames packed") && Catch::Contains("3 already present"));

  auto help = test::run_tool("s3d-pack", {"--help"});
  CHECK(help.exit_code == 0);
  for (const char* opt : {"--left", "--right", "--out", "--format", "--order", "--pad", "--image-format", "--quality",
                          "--range", "--force", "--threads", "--quiet", "--version", "default: hsbs", "default: 95"})
    CHECK_THAT(help.out, Catch::Contains(opt));

  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--left", L, "--right", R},                                   // no --out
           {"--left", L, "--right", R, "--out", O, "--format", "sbs"},    // bad format
           {"--left", L, "--right", R, "--out", O, "--pad", "big"},       // bad pad
           {"--left", L, "--right", R, "--out", O, "--quality", "x"},     // not a number
           {"--left", L, "--right", R, "--out", O, "--range", "5"},       // bad range
           {"--left", L, "--right", R, "--out", O, "--bogus"},            // unknown option
       }) {
    auto r = test::run_tool("s3d-pack", args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("s3d-pack: error:"));
  }

  for (const char* format : {"cross-eyed", "vr180", "rgbd"}) CHECK_THAT(help.out, Catch::Contains(format));
  CHECK_THAT(help.out, Catch::Contains("--vr-fov") && Catch::Contains("--vr-size"));

  // The new layouts through the binary: cross-eyed, and vr180 at 60 degrees into 128 px eyes.
  const std::string C = (dir / "crossed").string(), V = (dir / "vr").string();
  auto crossed = test::run_tool("s3d-pack", {"--left", L, "--right", R, "--out", C, "--format", "cross-eyed",
                                             "--image-format", "png"});
  INFO(crossed.err);
  REQUIRE(crossed.exit_code == 0);
  CHECK_THAT(crossed.err, Catch::Contains("3 frames packed (cross-eyed)"));
  const cv::Mat c = read_image(frame_path(dir / "crossed", 2, ".png"));
  REQUIRE(c.size() == cv::Size(128, 36));
  S3D_CHECK_IMAGES_MATCH(c(cv::Rect(0, 0, 64, 36)), read_image(frame_path(dir / "right", 2, ".png")), test::kExact);
  auto vr = test::run_tool("s3d-pack", {"--left", L, "--right", R, "--out", V, "--format", "vr180", "--vr-fov", "60",
                                        "--vr-size", "128", "--image-format", "png"});
  INFO(vr.err);
  REQUIRE(vr.exit_code == 0);
  Vr180Options sixty;
  sixty.fov = 60;
  sixty.eye_size = 128;
  S3D_CHECK_IMAGES_MATCH(read_image(frame_path(dir / "vr", 0, ".png")),
                         pack_pair(read_image(frame_path(dir / "left", 0, ".png")),
                                   read_image(frame_path(dir / "right", 0, ".png")), {Layout::kVr180, EyeOrder::kLeftFirst},
                                   sixty),
                         test::kExact);

  fs::remove(frame_path(dir / "right", 0, ".png"));
  auto missing = test::run_tool("s3d-pack", {"--left", L, "--right", R, "--out", (dir / "out2").string()});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("frame 0"));
  CHECK_FALSE(fs::exists(dir / "out2"));
}
