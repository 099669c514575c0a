// The sample clip's world: analytic primitives with procedural materials, and the ray
// queries the renderer asks of them (nearest hit, shadow test). Units: metres, world axes as
// in camera.hpp (x right, y up, z forward; the ground is the plane y = 0).
#pragma once
#include <string>
#include <vector>

#include "sample_scene/textures.hpp"
#include "sample_scene/vec3.hpp"

namespace s3d::sample_scene {

// The depth given to a ray that meets nothing (the sky), metres.
constexpr double kSkyDepth = 1000;

struct Sphere {
  std::string name;
  Vec3 centre;
  double radius = 1;
  Material material;
};

// An axis-aligned box.
struct Box {
  std::string name;
  Vec3 lo, hi;  // opposite corners, lo < hi on every axis
  Material material;
};

struct Scene {
  Material ground;          // the plane y = 0, infinite (hidden beyond the wall)
  Material wall;            // the plane z = wall_z facing the camera, from the ground up to wall_height
  double wall_z = 40;       // metres
  double wall_height = 6;   // metres; above it the sky
  Vec3 sun{-0.6, 0.7, -0.4};  // towards the sun (normalized by the renderer)
  std::vector<Sphere> spheres;
  std::vector<Box> boxes;
};

// The demo's scene: a paved ground to a brick wall 40 m away, and in front of it
//   "crate"       a wooden crate, 0.8 m cube, front face at z = 4.0 (the nearest object; it
//                 hides the lower part of "ball")
//   "ball"        a beach ball, r = 0.7 m, centre (-1.2, 0.7, 7.5)
//   "marble"      a small checkered sphere, r = 0.4 m, centre (1.1, 0.4, 5.5)
//   "pillar"      a banded pillar 1 x 3 x 1 m, front face at z = 12
//   "globe"       a checkered sphere, r = 1.0 m, centre (0.6, 1.0, 17)
//   "block"       a checkered block 1.6 m cube, front face at z = 24
// The camera (camera.hpp) starts at (0, 1.5, 0) looking along +z and ends 2 m further on.
Scene demo_scene();

// Which primitive a ray met.
enum class Surface { kSky, kGround, kWall, kSphere, kBox };

struct Hit {
  Surface surface = Surface::kSky;
  int index = 0;   // the sphere's or box's index in the scene
  int face = 0;    // a box's face: 2 * axis + (1 if on its hi side)
  double t = 0;    // ray parameter of the hit: the point is origin + t * dir
  Vec3 point, normal;  // world; the normal is unit length, facing the ray
};

// A subset of the scene's spheres and boxes (their indices), for rays known to miss the rest.
struct Candidates {
  const int* spheres = nullptr;
  int sphere_count = 0;
  const int* boxes = nullptr;
  int box_count = 0;
};

// The nearest hit along origin + t * dir, t > 0 (`dir` need not be unit length), among the
// ground, the wall and the spheres and boxes of `only` (every one when null). Sky when
// nothing is met.
Hit intersect(const Scene& scene, const Vec3& origin, const Vec3& dir, const Candidates* only = nullptr);

// Whether a sphere or a box lies along origin + t * dir, t > 0 (the ground and the wall
// cast no shadow in this scene: the sun is behind the camera and above the wall).
bool occluded(const Scene& scene, const Vec3& origin, const Vec3& dir);

}  // namespace s3d::sample_scene
