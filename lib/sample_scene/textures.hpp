// Procedural textures (no image files): each pattern is a function of surface coordinates
// in metres, box-filtered over the pixel's footprint on the surface, so that fine detail far
// away (tile joints, mortar, stripes at the horizon) fades to its average instead of
// aliasing into moire. Albedos are linear RGB in 0..1.
#pragma once
#include <cstdint>

#include "sample_scene/vec3.hpp"

namespace s3d::sample_scene {

enum class Pattern {
  kPaving,     // square stone tiles of side `period` with dark joints; tiles tinted between a and b
  kBrick,      // a brick bond: bricks `period` long, 0.4 x that tall, light mortar; bricks between a and b
  kCrate,      // a wooden crate face: planks `period` tall of colour a inside a frame of colour b
  kBands,      // horizontal bands `period` tall, alternating a and b, with a little mottling
  kSegments,   // longitude segments (a beach ball): `period` metres wide on the equator, a and b
  kChecker,    // a checkerboard of squares of side `period`, a and b
};

struct Material {
  Pattern pattern = Pattern::kChecker;
  Vec3 a{0.5, 0.5, 0.5}, b{0.2, 0.2, 0.2};  // the pattern's two albedos, linear RGB 0..1
  double period = 1;                        // the pattern's size, metres (see Pattern)
};

// Where on a surface a ray landed: u, v in metres along the surface; du, dv the extent of the
// pixel's footprint along u and v (metres, >= 0); width, height the extent of the face (box
// faces, for the crate's frame; 0 = unbounded).
struct SurfacePoint {
  double u = 0, v = 0;
  double du = 0, dv = 0;
  double width = 0, height = 0;
};

// The albedo of `material` at `p`, averaged over the footprint.
Vec3 albedo(const Material& material, const SurfacePoint& p);

// The building blocks, exposed for the tests:
// the fraction of [x - w/2, x + w/2] where frac(x) < duty (a box-filtered pulse train of
// period 1; w = 0 samples it).
double filtered_pulse(double x, double w, double duty);
// The fraction of [x - w/2, x + w/2] inside [lo, hi].
double filtered_interval(double x, double w, double lo, double hi);
// A hash of integer cell coordinates to [0, 1).
double cell_hash(int64_t i, int64_t j, uint32_t seed);
// Smooth value noise in [0, 1] with unit lattice spacing.
double value_noise(double x, double y, uint32_t seed);

}  // namespace s3d::sample_scene
