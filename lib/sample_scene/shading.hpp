// Lighting of the sample scene: a sun (Lambert, with hard shadows from the spheres and
// boxes) plus a sky/ground ambient term, aerial haze with distance, and the sky itself (a
// gradient with soft procedural clouds). Colours are linear RGB; the renderer encodes them
// with gamma 2.
#pragma once
#include "sample_scene/scene.hpp"

namespace s3d::sample_scene {

// The colour seen along a camera ray of direction `dir` that met `hit` (not the sky). ddx, ddy:
// how dir changes from one sample to the next across and down the picture (the ray
// differentials that size the texture filter). *shadowed says whether the sun was blocked.
Vec3 shade(const Scene& scene, const Vec3& sun, const Hit& hit, const Vec3& dir, const Vec3& ddx,
           const Vec3& ddy, bool* shadowed);

// The sky along `dir` (any length) from `origin`.
Vec3 sky(const Vec3& origin, const Vec3& dir);

}  // namespace s3d::sample_scene
