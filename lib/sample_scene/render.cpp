#include "sample_scene/render.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/parallel.hpp"
#include "sample_scene/camera.hpp"
#include "sample_scene/shading.hpp"

namespace s3d::sample_scene {
namespace {

struct Sample {
  Vec3 colour;
  double depth = kSkyDepth;
  uint32_t key = 0;  // which surface (and which side of a shadow edge) the ray saw
};

// The rotated-grid offsets of the edge pixels' extra rays (fractions of a pixel).
constexpr double kGrid[4][2] = {{0.125, -0.375}, {0.375, 0.125}, {-0.125, 0.375}, {-0.375, -0.125}};

// Where an object can appear in the picture: a rectangle in pixels, conservative.
struct ScreenRect {
  double u0 = -1e300, u1 = 1e300, v0 = -1e300, v1 = 1e300;  // everywhere, unless projected
  bool contains(double u, double v) const { return u >= u0 && u <= u1 && v >= v0 && v <= v1; }
};

// The rectangle holding the projections of the corners of the axis-aligned box lo..hi
// (which holds the projection of anything inside the box), with a margin; everywhere when a
// corner is not in front of the camera.
ScreenRect project_bounds(const Camera& c, const Vec3& lo, const Vec3& hi) {
  ScreenRect r{1e300, -1e300, 1e300, -1e300};
  for (int corner = 0; corner < 8; ++corner) {
    const Vec3 p{corner & 1 ? hi.x : lo.x, corner & 2 ? hi.y : lo.y, corner & 4 ? hi.z : lo.z};
    const Vec3 q = p - c.position;
    const double z = dot(q, c.forward);
    if (z < 1e-3) return ScreenRect{};
    const double u = c.cx + c.focal * dot(q, c.right) / z, v = c.cy + c.focal * dot(q, c.down) / z;
    r.u0 = std::min(r.u0, u);
    r.u1 = std::max(r.u1, u);
    r.v0 = std::min(r.v0, v);
    r.v1 = std::max(r.v1, v);
  }
  constexpr double kMargin = 2;  // pixels
  return {r.u0 - kMargin, r.u1 + kMargin, r.v0 - kMargin, r.v1 + kMargin};
}

class Tracer {
 public:
  Tracer(const Scene& scene, const Camera& camera) : scene_(scene), camera_(camera), sun_(normalize(scene.sun)) {
    ddx_ = camera.right / camera.focal;
    ddy_ = camera.down / camera.focal;
    for (const auto& s : scene.spheres) {
      const Vec3 r{s.radius, s.radius, s.radius};
      sphere_rects_.push_back(project_bounds(camera, s.centre - r, s.centre + r));
    }
    for (const auto& b : scene.boxes) box_rects_.push_back(project_bounds(camera, b.lo, b.hi));
  }

  // The ray through picture point (u, v); `spacing`: the distance to the neighbouring
  // samples in pixels (1 for pixel centres, 0.5 within a pixel), the texture filter's width.
  Sample trace(double u, double v, double spacing) const {
    Sample s;
    const Vec3 dir = camera_.ray(u, v);
    // Only the objects whose screen rectangle holds the sample.
    int spheres[kMaxCulled], boxes[kMaxCulled];
    Candidates only{spheres, 0, boxes, 0};
    const Candidates* candidates = nullptr;
    if (sphere_rects_.size() <= kMaxCulled && box_rects_.size() <= kMaxCulled) {
      for (size_t i = 0; i < sphere_rects_.size(); ++i)
        if (sphere_rects_[i].contains(u, v)) spheres[only.sphere_count++] = static_cast<int>(i);
      for (size_t i = 0; i < box_rects_.size(); ++i)
        if (box_rects_[i].contains(u, v)) boxes[only.box_count++] = static_cast<int>(i);
      candidates = &only;
    }
    const Hit hit = intersect(scene_, camera_.position, dir, candidates);
    if (hit.surface == Surface::kSky) {
      s.colour = sky(camera_.position, dir);
      return s;
    }
    bool shadowed = false;
    s.colour = shade(scene_, sun_, hit, dir, ddx_ * spacing, ddy_ * spacing, &shadowed);
    s.depth = hit.t;
    s.key = (surface_id(hit) << 4) | (static_cast<uint32_t>(hit.face) << 1) | (shadowed ? 1u : 0u);
    return s;
  }

 private:
  uint32_t surface_id(const Hit& hit) const {
    switch (hit.surface) {
      case Surface::kGround: return 1;
      case Surface::kWall: return 2;
      case Surface::kSphere: return 3 + static_cast<uint32_t>(hit.index);
      case Surface::kBox: return 3 + static_cast<uint32_t>(scene_.spheres.size() + hit.index);
      case Surface::kSky: break;
    }
    return 0;
  }

  static constexpr size_t kMaxCulled = 16;  // larger scenes are traced without culling
  const Scene& scene_;
  const Camera& camera_;
  Vec3 sun_, ddx_, ddy_;
  std::vector<ScreenRect> sphere_rects_, box_rects_;
};

uint8_t encode(double linear) {  // gamma 2
  const double v = std::sqrt(std::max(0.0, std::min(1.0, linear))) * 255 + 0.5;
  return static_cast<uint8_t>(v);
}

void put(cv::Vec3b& pixel, const Vec3& colour) { pixel = {encode(colour.z), encode(colour.y), encode(colour.x)}; }

}  // namespace

void render_frame(const Scene& scene, const ClipOptions& options, int64_t index, RenderedFrame& out) {
  const int w = options.width, h = options.height;
  out.bgr.create(h, w, CV_8UC3);
  out.depth.create(h, w, CV_32FC1);
  const Camera camera = camera_at(options, index);
  const Tracer tracer(scene, camera);
  std::vector<uint32_t> keys(static_cast<size_t>(w) * h);

  // Pass 1: one ray per pixel centre.
  parallel_for(h, options.threads, [&](int64_t row) {
    auto* bgr = out.bgr.ptr<cv::Vec3b>(static_cast<int>(row));
    auto* depth = out.depth.ptr<float>(static_cast<int>(row));
    uint32_t* key = keys.data() + row * w;
    for (int x = 0; x < w; ++x) {
      const Sample s = tracer.trace(x + 0.5, row + 0.5, 1.0);
      put(bgr[x], s.colour);
      depth[x] = static_cast<float>(s.depth);
      key[x] = s.key;
    }
  });

  // Pass 2: pixels where the surface changes against a neighbour (left, right, above,
  // below) get four more rays.
  parallel_for(h, options.threads, [&](int64_t row) {
    const int y = static_cast<int>(row);
    auto* bgr = out.bgr.ptr<cv::Vec3b>(y);
    const uint32_t* key = keys.data() + static_cast<size_t>(y) * w;
    const uint32_t* above = y > 0 ? key - w : key;
    const uint32_t* below = y + 1 < h ? key + w : key;
    for (int x = 0; x < w; ++x) {
      const uint32_t k = key[x];
      const bool edge = above[x] != k || below[x] != k || (x > 0 && key[x - 1] != k) || (x + 1 < w && key[x + 1] != k);
      if (!edge) continue;
      Vec3 sum = tracer.trace(x + 0.5, y + 0.5, 0.5).colour;
      for (const auto& g : kGrid) sum += tracer.trace(x + 0.5 + g[0], y + 0.5 + g[1], 0.5).colour;
      put(bgr[x], sum / 5.0);
    }
  });
}

RenderedFrame render_frame(const Scene& scene, const ClipOptions& options, int64_t index) {
  RenderedFrame frame;
  render_frame(scene, options, index, frame);
  return frame;
}

}  // namespace s3d::sample_scene
