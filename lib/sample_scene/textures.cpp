#include "sample_scene/textures.hpp"

#include <algorithm>
#include <cmath>

namespace s3d::sample_scene {
namespace {

double clamp01(double x) { return std::min(1.0, std::max(0.0, x)); }

// The integral of the pulse train (1 where frac(x) < duty) from 0 to x.
double pulse_integral(double x, double duty) {
  const double f = std::floor(x);
  return f * duty + std::min(x - f, duty);
}

// How much of a per-cell detail survives a footprint `w` on cells of size 1: full while the
// footprint is under a tenth of a cell, gone at half a cell (the average takes over).
double detail_weight(double w) { return clamp01((0.5 - w) / 0.4); }

// A box-filtered checker of unit squares: 1 on the squares of (0, 0)'s parity, else 0.
double filtered_checker(double x, double y, double wx, double wy) {
  const double px = filtered_pulse(x, wx, 0.5), py = filtered_pulse(y, wy, 0.5);
  return px * py + (1 - px) * (1 - py);
}

// Mottling in [1 - amount, 1 + amount] on features `size` metres large, faded with the footprint.
double mottle(double u, double v, double w, double size, double amount, uint32_t seed) {
  const double keep = detail_weight(w / size);
  if (keep <= 0) return 1;
  return 1 + amount * keep * (2 * value_noise(u / size, v / size, seed) - 1);
}

Vec3 paving(const Material& m, const SurfacePoint& p) {
  constexpr double kJoint = 0.05;  // joint width, fraction of a tile
  const double x = p.u / m.period, y = p.v / m.period, wx = p.du / m.period, wy = p.dv / m.period;
  const double tile = filtered_pulse(x - kJoint, wx, 1 - kJoint) * filtered_pulse(y - kJoint, wy, 1 - kJoint);
  // Each tile its own tint (fading to the mean as tiles shrink below a pixel), and a checker
  // of two stone shades on top, filtered.
  const auto tile_x = static_cast<int64_t>(std::floor(x)), tile_y = static_cast<int64_t>(std::floor(y));
  const double tint = 0.5 + (cell_hash(tile_x, tile_y, 11) - 0.5) * detail_weight(std::max(wx, wy));
  const double check = filtered_checker(x, y, wx, wy);
  const Vec3 stone =
      mix(m.a, m.b, 0.15 + 0.5 * tint + 0.2 * check) * mottle(p.u, p.v, std::max(p.du, p.dv), 0.35, 0.18, 5);
  const Vec3 joint = m.b * 0.35;
  return mix(joint, stone, tile);
}

Vec3 brick(const Material& m, const SurfacePoint& p) {
  const double length = m.period, height = 0.4 * m.period;
  constexpr double kMortarU = 0.04, kMortarV = 0.12;  // fractions of a brick's length / height
  const double y = p.v / height;
  const double row = std::floor(y);
  const double x = p.u / length + 0.5 * std::fmod(std::fabs(row), 2.0);  // every other row offset by half a brick
  const double wx = p.du / length, wy = p.dv / height;
  const double solid = filtered_pulse(x - kMortarU, wx, 1 - kMortarU) * filtered_pulse(y - kMortarV, wy, 1 - kMortarV);
  const double tint =
      0.5 + (cell_hash(static_cast<int64_t>(std::floor(x)), static_cast<int64_t>(row), 23) - 0.5) * detail_weight(wx);
  const Vec3 bricks = mix(m.a, m.b, tint) * mottle(p.u, p.v, std::max(p.du, p.dv), 0.08, 0.15, 7);
  const Vec3 mortar{0.55, 0.53, 0.5};
  return mix(mortar, bricks, solid);
}

Vec3 crate(const Material& m, const SurfacePoint& p) {
  constexpr double kFrame = 0.09;  // frame width, metres
  constexpr double kGap = 0.06;    // gap between planks, fraction of a plank
  const double w = p.width > 0 ? p.width : 1e9, h = p.height > 0 ? p.height : 1e9;
  const double inside =
      filtered_interval(p.u, p.du, kFrame, w - kFrame) * filtered_interval(p.v, p.dv, kFrame, h - kFrame);
  const double y = p.v / m.period, wy = p.dv / m.period;
  const double plank = filtered_pulse(y - kGap, wy, 1 - kGap);
  const double tint = 0.5 + (cell_hash(static_cast<int64_t>(std::floor(y)), 0, 31) - 0.5) * detail_weight(wy);
  // Wood grain: fine streaks along the planks.
  const double grain = mottle(p.u * 0.15, p.v * 3.0, std::max(p.du * 0.15, p.dv * 3.0), 0.05, 0.2, 13);
  const Vec3 planks = m.a * ((0.8 + 0.4 * tint) * grain);
  const Vec3 gap = m.a * 0.25;
  const Vec3 inner = mix(gap, planks, plank);
  const Vec3 frame = m.b * mottle(p.u, p.v, std::max(p.du, p.dv), 0.1, 0.15, 17);
  return mix(frame, inner, inside);
}

Vec3 bands(const Material& m, const SurfacePoint& p) {
  const double band = filtered_pulse(p.v / m.period, p.dv / m.period, 0.5);
  return mix(m.b, m.a, band) * mottle(p.u, p.v, std::max(p.du, p.dv), 0.12, 0.12, 19);
}

Vec3 segments(const Material& m, const SurfacePoint& p) {
  return mix(m.b, m.a, filtered_pulse(p.u / m.period, p.du / m.period, 0.5));
}

Vec3 checker(const Material& m, const SurfacePoint& p) {
  return mix(m.b, m.a, filtered_checker(p.u / m.period, p.v / m.period, p.du / m.period, p.dv / m.period));
}

}  // namespace

double filtered_pulse(double x, double w, double duty) {
  if (w < 1e-9) return x - std::floor(x) < duty ? 1.0 : 0.0;
  return (pulse_integral(x + w / 2, duty) - pulse_integral(x - w / 2, duty)) / w;
}

double filtered_interval(double x, double w, double lo, double hi) {
  if (w < 1e-9) return x >= lo && x < hi ? 1.0 : 0.0;
  const double a = std::max(x - w / 2, lo), b = std::min(x + w / 2, hi);
  return b > a ? (b - a) / w : 0.0;
}

double cell_hash(int64_t i, int64_t j, uint32_t seed) {
  uint64_t h = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(j) * 0xC2B2AE3D27D4EB4Full ^
               (static_cast<uint64_t>(seed) + 1) * 0x165667B19E3779F9ull;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}

double value_noise(double x, double y, uint32_t seed) {
  const double fx = std::floor(x), fy = std::floor(y);
  const auto i = static_cast<int64_t>(fx), j = static_cast<int64_t>(fy);
  double tx = x - fx, ty = y - fy;
  tx = tx * tx * (3 - 2 * tx);
  ty = ty * ty * (3 - 2 * ty);
  const double a = cell_hash(i, j, seed), b = cell_hash(i + 1, j, seed);
  const double c = cell_hash(i, j + 1, seed), d = cell_hash(i + 1, j + 1, seed);
  return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
}

Vec3 albedo(const Material& material, const SurfacePoint& p) {
  switch (material.pattern) {
    case Pattern::kPaving: return paving(material, p);
    case Pattern::kBrick: return brick(material, p);
    case Pattern::kCrate: return crate(material, p);
    case Pattern::kBands: return bands(material, p);
    case Pattern::kSegments: return segments(material, p);
    case Pattern::kChecker: return checker(material, p);
  }
  return material.a;
}

}  // namespace s3d::sample_scene
