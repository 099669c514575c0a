// The built-in sample clip (lib/sample_scene, s3d-sample): its true depth where the geometry
// is known analytically (the ground below the horizon, box faces, spheres, an occlusion),
// computed here independently of the ray-caster from the scene's description and the
// pinhole formula; the 16-bit inverse-depth convention; determinism; a moving camera; the
// texture filters; and the tool end to end (ffprobe: frames, size, audio; the depth PNGs).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <string>

#include "core/frame_store.hpp"
#include "imageio/image_file.hpp"
#include "sample_scene/camera.hpp"
#include "sample_scene/inverse_depth.hpp"
#include "sample_scene/render.hpp"
#include "sample_scene/textures.hpp"
#include "support/test_support.hpp"

using namespace s3d;
using namespace s3d::sample_scene;
using s3d::test::TempDir;

namespace {

constexpr double kPi = 3.14159265358979323846;

ClipOptions small_clip(int width, int height) {
  ClipOptions o;
  o.width = width;
  o.height = height;
  return o;
}

// The first frame's camera, as the scene's documentation says: at (0, 1.5, 0), looking along
// +z, level. The pinhole: focal length (width / 2) / tan(fov / 2), principal point at the centre.
struct Pinhole {
  double f, cx, cy;
  explicit Pinhole(const ClipOptions& o)
      : f(o.width / 2.0 / std::tan(o.fov * kPi / 360)), cx(o.width / 2.0), cy(o.height / 2.0) {}
  // The pixel (column, row) a world point projects into, for the first frame's camera.
  cv::Point pixel(const Vec3& p) const {
    const double z = p.z;
    return {static_cast<int>(std::floor(cx + f * p.x / z)), static_cast<int>(std::floor(cy + f * (1.5 - p.y) / z))};
  }
  // The first frame's ray through the centre of pixel (x, y): direction with z = 1.
  Vec3 ray(int x, int y) const { return {(x + 0.5 - cx) / f, -(y + 0.5 - cy) / f, 1}; }
};

// Where the ray from (0, 1.5, 0) along `d` (d.z = 1) enters `s`: its z, or NaN if it misses.
double sphere_entry_z(const Sphere& s, const Vec3& d) {
  const Vec3 o{0, 1.5, 0};
  const Vec3 oc{o.x - s.centre.x, o.y - s.centre.y, o.z - s.centre.z};
  const double a = d.x * d.x + d.y * d.y + d.z * d.z;
  const double b = oc.x * d.x + oc.y * d.y + oc.z * d.z;
  const double c = oc.x * oc.x + oc.y * oc.y + oc.z * oc.z - s.radius * s.radius;
  const double disc = b * b - a * c;
  if (disc < 0) return std::nan("");
  return (-b - std::sqrt(disc)) / a;  // = z, since d.z = 1 and the camera is at z = 0
}

const Sphere& sphere(const Scene& scene, const std::string& name) {
  for (const auto& s : scene.spheres)
    if (s.name == name) return s;
  FAIL("no sphere " << name);
  throw;
}

const Box& box(const Scene& scene, const std::string& name) {
  for (const auto& b : scene.boxes)
    if (b.name == name) return b;
  FAIL("no box " << name);
  throw;
}

float depth_at(const RenderedFrame& frame, cv::Point p) { return frame.depth.at<float>(p.y, p.x); }

}  // namespace

TEST_CASE("the first frame's camera is at 1.5 m, level, looking along +z", "[unit]") {
  const ClipOptions o;
  const Camera c = camera_at(o, 0);
  CHECK(c.position.x == 0);
  CHECK(c.position.y == 1.5);
  CHECK(c.position.z == 0);
  CHECK(c.yaw == 0);
  CHECK(c.focal == Approx(640 / std::tan(kPi / 6)));
}

TEST_CASE("the ground's depth below the horizon is the camera height over the tangent of the angle below it",
          "[unit]") {
  const ClipOptions o = small_clip(320, 180);
  const RenderedFrame frame = render_frame(demo_scene(), o, 0);
  const Pinhole pin(o);
  // Columns near the left and right edges, where every object stands off the rays: on the
  // right the ray is at x >= 2.5 m wherever it could meet an object (z >= 5 m), on the left at
  // x <= -2.2 m. Rows from just below the wall's foot (the ground nearer than 40 m) down.
  int checked = 0;
  for (int x : {3, 316}) {
    for (int y = 102; y < o.height; y += 7) {
      const double below = std::atan((y + 0.5 - pin.cy) / pin.f);  // the angle below the horizon
      const double expected = 1.5 / std::tan(below);
      INFO("pixel (" << x << ", " << y << ")");
      REQUIRE(expected < 40);
      CHECK(depth_at(frame, {x, y}) == Approx(expected).epsilon(1e-6));
      ++checked;
    }
  }
  CHECK(checked > 20);
  // Above the horizon, over the wall: the sky's documented far value.
  CHECK(depth_at(frame, {5, 2}) == static_cast<float>(kSkyDepth));
}

TEST_CASE("box faces and spheres have their known distances, and the crate hides the ball", "[unit]") {
  const ClipOptions o = small_clip(640, 360);
  const Scene scene = demo_scene();
  const RenderedFrame frame = render_frame(scene, o, 0);
  const Pinhole pin(o);

  // A box's front face is a plane facing the camera: depth = its z at every pixel of it.
  for (const char* name : {"crate", "pillar"}) {
    const Box& b = box(scene, name);
    const cv::Point p = pin.pixel({(b.lo.x + b.hi.x) / 2, (b.lo.y + b.hi.y) / 2, b.lo.z});
    INFO(name << " at pixel " << p);
    CHECK(depth_at(frame, p) == Approx(b.lo.z).epsilon(1e-6));
  }
  // The wall at its documented distance, between the objects.
  CHECK(depth_at(frame, {20, 130}) == Approx(scene.wall_z).epsilon(1e-6));

  // A sphere's centre pixel: where that pixel's ray enters the sphere.
  for (const char* name : {"ball", "marble", "globe"}) {
    const Sphere& s = sphere(scene, name);
    const cv::Point p = pin.pixel(s.centre);
    const double expected = sphere_entry_z(s, pin.ray(p.x, p.y));
    INFO(name << " at pixel " << p);
    REQUIRE(std::isfinite(expected));
    CHECK(expected > s.centre.z - s.radius);
    CHECK(depth_at(frame, p) == Approx(expected).epsilon(1e-6));
  }

  // Occlusion: a pixel whose ray passes through the ball behind the crate sees the crate.
  const Box& crate = box(scene, "crate");
  const Sphere& ball = sphere(scene, "ball");
  const cv::Point p = pin.pixel({crate.hi.x - 0.1, crate.hi.y - 0.1, crate.lo.z});
  const double ball_z = sphere_entry_z(ball, pin.ray(p.x, p.y));
  INFO("pixel " << p);
  REQUIRE(std::isfinite(ball_z));
  CHECK(ball_z > crate.lo.z + 1);
  CHECK(depth_at(frame, p) == Approx(crate.lo.z).epsilon(1e-6));
}

TEST_CASE("inverse depth: nearer is larger, the sky is 0, the mapping is the documented one", "[unit]") {
  const ClipOptions o = small_clip(640, 360);
  const Scene scene = demo_scene();
  const RenderedFrame frame = render_frame(scene, o, 0);
  const cv::Mat level = inverse_depth_16(frame.depth);
  REQUIRE(level.type() == CV_16UC1);
  REQUIRE(level.size() == frame.depth.size());
  const Pinhole pin(o);
  const auto at = [&](cv::Point p) { return static_cast<int>(level.at<uint16_t>(p.y, p.x)); };
  const auto documented = [](double z) {
    return static_cast<int>(std::lround(65535 * (1 / z - 1 / kSkyDepth) / (1 / kNearDepth - 1 / kSkyDepth)));
  };
  const Box& crate = box(scene, "crate");
  const cv::Point crate_px = pin.pixel({(crate.lo.x + crate.hi.x) / 2, 0.4, crate.lo.z});
  const cv::Point ball_px = pin.pixel(sphere(scene, "ball").centre);
  const cv::Point globe_px = pin.pixel(sphere(scene, "globe").centre);
  const cv::Point wall_px{20, 130}, sky_px{5, 2};
  CHECK(at(crate_px) == documented(crate.lo.z));
  CHECK(at(wall_px) == documented(scene.wall_z));
  CHECK(at(sky_px) == 0);
  CHECK(at(crate_px) > at(ball_px));
  CHECK(at(ball_px) > at(globe_px));
  CHECK(at(globe_px) > at(wall_px));
  CHECK(at(wall_px) > at(sky_px));
  // Nothing in the default clip is nearer than kNearDepth (no value saturates); checked on
  // the frames where the camera is nearest the crate.
  for (int64_t index : {0, 192, 239}) {  // 192: the nearest, 2.16 m
    double lo = 0;
    cv::minMaxLoc(render_frame(scene, o, index).depth, &lo);
    INFO("frame " << index);
    CHECK(lo > kNearDepth);
  }
}

TEST_CASE("rendering is deterministic, whatever the thread count", "[unit]") {
  ClipOptions o = small_clip(320, 180);
  const Scene scene = demo_scene();
  o.threads = 1;
  const RenderedFrame a = render_frame(scene, o, 37);
  o.threads = 3;
  const RenderedFrame b = render_frame(scene, o, 37);
  const RenderedFrame c = render_frame(scene, o, 37);
  for (const RenderedFrame* other : {&b, &c}) {
    CHECK(cv::norm(a.bgr, other->bgr, cv::NORM_INF) == 0);
    CHECK(std::memcmp(a.depth.data, other->depth.data, a.depth.total() * a.depth.elemSize()) == 0);
  }
}

TEST_CASE("the camera moves: consecutive frames differ, by a little", "[unit]") {
  const ClipOptions o = small_clip(320, 180);
  const Scene scene = demo_scene();
  for (int64_t index : {0, 120, 238}) {
    const RenderedFrame a = render_frame(scene, o, index), b = render_frame(scene, o, index + 1);
    const Camera ca = camera_at(o, index), cb = camera_at(o, index + 1);
    const double moved = length(cb.position - ca.position);
    INFO("frames " << index << " and " << index + 1 << ", camera moved " << moved << " m");
    CHECK(moved < 0.03);  // 24 fps: at most ~0.7 m/s
    CHECK(cv::norm(a.bgr, b.bgr, cv::NORM_L1) > 0);
    CHECK(cv::norm(a.depth, b.depth, cv::NORM_INF) > 0);
    // A small step: most pixels change by little (the mean over every value under 8 levels).
    CHECK(cv::norm(a.bgr, b.bgr, cv::NORM_L1) / (a.bgr.total() * 3) < 8);
  }
  // Over the clip it travels forward, sideways and pans.
  const Camera first = camera_at(o, 0), last = camera_at(o, o.frames - 1);
  CHECK(last.position.z - first.position.z > 1.5);
  CHECK(last.position.x - first.position.x > 0.5);
  CHECK(std::fabs(camera_at(o, o.frames / 2).yaw) > 0.05);
}

TEST_CASE("texture filters: a pulse averages to its duty over a wide footprint and samples it over none", "[unit]") {
  CHECK(filtered_pulse(0.2, 0, 0.5) == 1);
  CHECK(filtered_pulse(0.7, 0, 0.5) == 0);
  CHECK(filtered_pulse(3.3, 40, 0.3) == Approx(0.3).margin(1e-9));
  CHECK(filtered_pulse(3.1, 37.3, 0.3) == Approx(0.3).margin(0.01));
  CHECK(filtered_pulse(0.5, 0.2, 0.5) == Approx(0.5));  // straddles the step at 0.5 evenly
  CHECK(filtered_interval(1.0, 1.0, 0.75, 2.0) == Approx(0.75));
  for (int i = 0; i < 100; ++i) {
    const double h = cell_hash(i, -i, 3);
    CHECK((h >= 0 && h < 1));
  }
}

TEST_CASE("s3d-sample writes the clip with audio and its true depth, keeps what exists, refuses bad calls", "[e2e]") {
  TempDir dir("s3d-sample");
  const fs::path clip = dir / "sample.mkv", depth = dir / "depth";
  auto r = test::run_tool("s3d-sample", {"--out", clip.string(), "--depth-out", depth.string(), "--frames", "24",
                                         "--width", "320", "--height", "180", "--threads", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("24 frames rendered") != std::string::npos);

  // ffprobe: 24 decoded frames of 320x180, and an audio stream.
  auto p = test::run_program("ffprobe", {"-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                                         "stream=width,height,nb_read_frames", "-of", "default=nw=1", clip.string()});
  REQUIRE(p.exit_code == 0);
  CHECK(p.out.find("width=320") != std::string::npos);
  CHECK(p.out.find("height=180") != std::string::npos);
  CHECK(p.out.find("nb_read_frames=24") != std::string::npos);
  p = test::run_program("ffprobe", {"-v", "error", "-select_streams", "a", "-show_entries",
                                    "stream=codec_type,channels,sample_rate", "-of", "default=nw=1", clip.string()});
  REQUIRE(p.exit_code == 0);
  CHECK(p.out.find("codec_type=audio") != std::string::npos);
  CHECK(p.out.find("channels=2") != std::string::npos);

  // The depth maps: one 16-bit gray PNG per frame, exactly the rendered true depth.
  const auto frames = list_frames(depth);
  REQUIRE(frames.size() == 24);
  CHECK(frames.front().index == 0);
  CHECK(frames.back().index == 23);
  const ImageHeader h = read_image_header(frames[5].path);
  CHECK(h.depth == CV_16U);
  CHECK(h.channels == 1);
  CHECK(h.size == cv::Size(320, 180));
  ClipOptions o = small_clip(320, 180);
  o.frames = 24;
  const cv::Mat expected = inverse_depth_16(render_frame(demo_scene(), o, 5).depth);
  CHECK(cv::norm(read_image(frames[5].path, kReadUnchanged), expected, cv::NORM_INF) == 0);

  // Again: everything exists, nothing is rendered or rewritten.
  const auto before = fs::last_write_time(clip);
  r = test::run_tool("s3d-sample", {"--out", clip.string(), "--depth-out", depth.string(), "--frames", "24",
                                    "--width", "320", "--height", "180"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("0 frames rendered") != std::string::npos);
  CHECK(fs::last_write_time(clip) == before);

  // Usage errors: exit 2, nothing written.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--depth-out", (dir / "d2").string()},
                                             {"--out", (dir / "x.avi").string()},
                                             {"--out", (dir / "x.mkv").string(), "--width", "321"},
                                             {"--out", (dir / "x.mkv").string(), "--fov", "0"},
                                             {"--out", (dir / "x.mkv").string(), "--frames", "0"}}) {
    r = test::run_tool("s3d-sample", args);
    INFO(args.back());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("s3d-sample: error:") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir / "x.mkv"));
  CHECK_FALSE(fs::exists(dir / "d2"));

  // --help ends with an example.
  r = test::run_tool("s3d-sample", {"--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Example:\n  s3d-sample --out ") != std::string::npos);
}
