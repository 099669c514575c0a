#include "sample_scene/scene.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace s3d::sample_scene {
namespace {

Vec3 rgb(int r, int g, int b) {  // sRGB 0..255 -> linear (gamma 2, as the renderer encodes)
  const auto lin = [](int c) { return (c / 255.0) * (c / 255.0); };
  return {lin(r), lin(g), lin(b)};
}

Box box_on_ground(std::string name, double x_centre, double z_front, double w, double h, double d, Material m) {
  return {std::move(name), {x_centre - w / 2, 0, z_front}, {x_centre + w / 2, h, z_front + d}, m};
}

// The entry distance of the ray into a sphere, or +inf.
double hit_sphere(const Sphere& s, const Vec3& origin, const Vec3& dir) {
  const Vec3 oc = origin - s.centre;
  const double a = dot(dir, dir), b = dot(oc, dir), c = dot(oc, oc) - s.radius * s.radius;
  const double disc = b * b - a * c;
  if (disc < 0) return std::numeric_limits<double>::infinity();
  const double root = std::sqrt(disc);
  const double t = (-b - root) / a;  // the entry point (rays start outside every sphere)
  return t > 1e-9 ? t : std::numeric_limits<double>::infinity();
}

// The entry distance into a box (slab test) and the axis of the entry face, or +inf.
// `inv`: 1 / dir per component (the ray's, computed once for every box).
double hit_box(const Box& b, const Vec3& origin, const Vec3& dir, const Vec3& inv, int* axis) {
  double t0 = -std::numeric_limits<double>::infinity(), t1 = std::numeric_limits<double>::infinity();
  int entry = 0;
  for (int k = 0; k < 3; ++k) {
    const double o = origin[k], lo = b.lo[k], hi = b.hi[k];
    if (dir[k] == 0) {
      if (o < lo || o > hi) return std::numeric_limits<double>::infinity();
      continue;
    }
    double near = (lo - o) * inv[k], far = (hi - o) * inv[k];
    if (near > far) std::swap(near, far);
    if (near > t0) {
      t0 = near;
      entry = k;
    }
    t1 = std::min(t1, far);
  }
  // Missed, or behind the origin (rays start outside every box).
  if (t0 > t1 || t0 <= 1e-9) return std::numeric_limits<double>::infinity();
  if (axis) *axis = entry;
  return t0;
}

Vec3 inverse(const Vec3& d) { return {1 / d.x, 1 / d.y, 1 / d.z}; }

}  // namespace

Scene demo_scene() {
  // Sphere patterns: a whole number of periods around the equator (8 segments, 16 squares).
  constexpr double kTurn = 2 * 3.14159265358979323846;
  Scene s;
  s.ground = {Pattern::kPaving, rgb(178, 170, 150), rgb(120, 112, 100), 1.2};
  s.wall = {Pattern::kBrick, rgb(170, 80, 60), rgb(120, 55, 45), 0.5};
  s.spheres = {
      {"ball", {-1.2, 0.7, 7.5}, 0.7, {Pattern::kSegments, rgb(240, 240, 235), rgb(40, 90, 210), kTurn * 0.7 / 8}},
      {"marble", {1.1, 0.4, 5.5}, 0.4, {Pattern::kChecker, rgb(90, 200, 90), rgb(20, 70, 30), kTurn * 0.4 / 16}},
      {"globe", {0.6, 1.0, 17.0}, 1.0, {Pattern::kChecker, rgb(245, 200, 60), rgb(200, 70, 30), kTurn * 1.0 / 16}},
  };
  s.boxes = {
      box_on_ground("crate", -0.9, 4.0, 0.8, 0.8, 0.8, {Pattern::kCrate, rgb(200, 150, 90), rgb(120, 80, 45), 0.155}),
      box_on_ground("pillar", 2.3, 12.0, 1.0, 3.0, 1.0, {Pattern::kBands, rgb(225, 225, 220), rgb(80, 140, 170), 0.5}),
      box_on_ground("block", -3.2, 24.0, 1.6, 1.6, 1.6, {Pattern::kChecker, rgb(150, 90, 190), rgb(60, 40, 90), 0.4}),
  };
  return s;
}

Hit intersect(const Scene& scene, const Vec3& origin, const Vec3& dir, const Candidates* only) {
  Hit hit;
  double best = std::numeric_limits<double>::infinity();
  if (dir.y < 0) {  // the ground
    const double t = -origin.y / dir.y;
    if (t > 1e-9 && t < best) {
      best = t;
      hit.surface = Surface::kGround;
      hit.normal = {0, 1, 0};
    }
  }
  if (dir.z > 0) {  // the wall
    const double t = (scene.wall_z - origin.z) / dir.z;
    const double y = origin.y + t * dir.y;
    if (t > 1e-9 && t < best && y >= 0 && y <= scene.wall_height) {
      best = t;
      hit.surface = Surface::kWall;
      hit.normal = {0, 0, -1};
    }
  }
  const int spheres = only ? only->sphere_count : static_cast<int>(scene.spheres.size());
  for (int n = 0; n < spheres; ++n) {
    const int i = only ? only->spheres[n] : n;
    const double t = hit_sphere(scene.spheres[i], origin, dir);
    if (t < best) {
      best = t;
      hit.surface = Surface::kSphere;
      hit.index = i;
    }
  }
  const Vec3 inv = inverse(dir);
  const int boxes = only ? only->box_count : static_cast<int>(scene.boxes.size());
  for (int n = 0; n < boxes; ++n) {
    const int i = only ? only->boxes[n] : n;
    int axis = 0;
    const double t = hit_box(scene.boxes[i], origin, dir, inv, &axis);
    if (t < best) {
      best = t;
      hit.surface = Surface::kBox;
      hit.index = i;
      const bool hi_side = dir[axis] < 0;  // entered through the face that looks towards -dir
      hit.face = 2 * axis + (hi_side ? 1 : 0);
      Vec3 n3;
      (axis == 0 ? n3.x : axis == 1 ? n3.y : n3.z) = hi_side ? 1 : -1;
      hit.normal = n3;
    }
  }
  if (hit.surface == Surface::kSky) return hit;
  hit.t = best;
  hit.point = origin + dir * best;
  if (hit.surface == Surface::kSphere) hit.normal = normalize(hit.point - scene.spheres[hit.index].centre);
  return hit;
}

bool occluded(const Scene& scene, const Vec3& origin, const Vec3& dir) {
  for (const auto& s : scene.spheres)
    if (std::isfinite(hit_sphere(s, origin, dir))) return true;
  const Vec3 inv = inverse(dir);
  for (const auto& b : scene.boxes)
    if (std::isfinite(hit_box(b, origin, dir, inv, nullptr))) return true;
  return false;
}

}  // namespace s3d::sample_scene
