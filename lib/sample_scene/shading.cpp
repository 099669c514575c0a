#include "sample_scene/shading.hpp"

#include <algorithm>
#include <cmath>

namespace s3d::sample_scene {
namespace {

const Vec3 kSunLight{1.30, 1.22, 1.08};
const Vec3 kSkyAmbient{0.34, 0.38, 0.46};
const Vec3 kGroundAmbient{0.20, 0.18, 0.15};
const Vec3 kHorizon{0.70, 0.78, 0.88};
const Vec3 kZenith{0.16, 0.32, 0.70};
constexpr double kHazeMetres = 180;      // haze reaches 1 - 1/e at this distance
constexpr double kCloudHeight = 400;     // metres
constexpr double kCloudSize = 220;       // metres, the largest cloud features

// The footprint of a sample on the axis-aligned plane of normal `axis` that the ray met at
// parameter t: how far the hit point moves along world axis `along` per step of ddx and ddy.
double plane_footprint(int axis, int along, double t, const Vec3& dir, const Vec3& ddx, const Vec3& ddy) {
  const double dx = t * (ddx[along] - dir[along] * ddx[axis] / dir[axis]);
  const double dy = t * (ddy[along] - dir[along] * ddy[axis] / dir[axis]);
  return std::fabs(dx) + std::fabs(dy);
}

// The texture coordinates (and the footprint) of a hit.
SurfacePoint surface_point(const Scene& scene, const Hit& hit, const Vec3& dir, const Vec3& ddx, const Vec3& ddy) {
  SurfacePoint p;
  const Vec3& q = hit.point;
  switch (hit.surface) {
    case Surface::kGround:
      p.u = q.x;
      p.v = q.z;
      p.du = plane_footprint(1, 0, hit.t, dir, ddx, ddy);
      p.dv = plane_footprint(1, 2, hit.t, dir, ddx, ddy);
      break;
    case Surface::kWall:
      p.u = q.x;
      p.v = q.y;
      p.du = plane_footprint(2, 0, hit.t, dir, ddx, ddy);
      p.dv = plane_footprint(2, 1, hit.t, dir, ddx, ddy);
      break;
    case Surface::kBox: {
      const Box& b = scene.boxes[hit.index];
      const int axis = hit.face / 2;
      // Side faces: u along the face, v up; the top and bottom: u = x, v = z.
      const int au = axis == 0 ? 2 : 0, av = axis == 1 ? 2 : 1;
      p.u = q[au] - b.lo[au];
      p.v = q[av] - b.lo[av];
      p.width = b.hi[au] - b.lo[au];
      p.height = b.hi[av] - b.lo[av];
      p.du = plane_footprint(axis, au, hit.t, dir, ddx, ddy);
      p.dv = plane_footprint(axis, av, hit.t, dir, ddx, ddy);
      break;
    }
    case Surface::kSphere: {
      const Sphere& s = scene.spheres[hit.index];
      const Vec3& n = hit.normal;
      const double theta = std::acos(std::max(-1.0, std::min(1.0, n.y)));  // from the top
      p.u = std::atan2(n.z, n.x) * s.radius;
      p.v = theta * s.radius;
      // Isotropic: the sample's width across the ray, stretched by the slant of the surface.
      const double len = length(dir);
      const double slant = std::max(0.2, std::fabs(dot(n, dir)) / len);
      const double w = hit.t * 0.5 * (length(ddx) + length(ddy)) / slant;
      p.dv = w;
      p.du = w / std::max(0.1, std::sin(theta));  // longitude lines converge at the poles
      break;
    }
    case Surface::kSky: break;
  }
  return p;
}

const Material& material_of(const Scene& scene, const Hit& hit) {
  switch (hit.surface) {
    case Surface::kGround: return scene.ground;
    case Surface::kWall: return scene.wall;
    case Surface::kSphere: return scene.spheres[hit.index].material;
    default: return scene.boxes[hit.index].material;
  }
}

}  // namespace

Vec3 sky(const Vec3& origin, const Vec3& dir) {
  const Vec3 d = normalize(dir);
  const double up = std::max(0.0, d.y);
  Vec3 colour = mix(kHorizon, kZenith, std::sqrt(up));
  if (up > 0.02) {  // clouds on a plane high above, fading towards the horizon
    const double t = (kCloudHeight - origin.y) / d.y;
    const double x = (origin.x + t * d.x) / kCloudSize, z = (origin.z + t * d.z) / kCloudSize;
    const double n = 0.65 * value_noise(x, z, 41) + 0.35 * value_noise(2.03 * x, 2.03 * z, 43);
    const double cover = std::max(0.0, std::min(1.0, (n - 0.48) / 0.22)) * std::min(1.0, (up - 0.02) / 0.08);
    colour = mix(colour, Vec3{0.92, 0.93, 0.95}, 0.85 * cover);
  }
  return colour;
}

Vec3 shade(const Scene& scene, const Vec3& sun, const Hit& hit, const Vec3& dir, const Vec3& ddx,
           const Vec3& ddy, bool* shadowed) {
  const Vec3 base = albedo(material_of(scene, hit), surface_point(scene, hit, dir, ddx, ddy));
  const Vec3& n = hit.normal;
  const double lambert = dot(n, sun);
  bool blocked = lambert <= 0;
  if (!blocked) blocked = occluded(scene, hit.point + n * 1e-6, sun);
  *shadowed = blocked && lambert > 0;
  const Vec3 ambient = mix(kGroundAmbient, kSkyAmbient, 0.5 + 0.5 * n.y);
  Vec3 light = ambient;
  if (!blocked) light += kSunLight * lambert;
  const Vec3 lit = base * light;
  const double haze = 1 - std::exp(-hit.t * length(dir) / kHazeMetres);
  return mix(lit, kHorizon, haze);
}

}  // namespace s3d::sample_scene
