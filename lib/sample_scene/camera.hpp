// The sample clip's camera: a pinhole with square pixels and its principal point at the
// picture's centre, level (no pitch, no roll), on a fixed smooth path: a slow dolly forward,
// a sideways truck to the right and a gentle pan to the left and back.
//
// World coordinates, metres: x to the right, y up (the ground is y = 0), z forward (into the
// scene). Camera space: x right, y down, z forward along the optical axis; the depth of a
// point is its camera-space z.
#pragma once
#include <cstdint>

#include "sample_scene/clip_options.hpp"
#include "sample_scene/vec3.hpp"

namespace s3d::sample_scene {

// The path, over the clip's fraction s = frame / frames (0 at the first frame, so every clip
// starts from the same pose and travels the same path whatever its length):
constexpr double kCameraHeight = 1.5;  // metres above the ground, constant
constexpr double kDollyMetres = 2.0;   // forward (+z) travel: z = kDollyMetres * (s - sin(2 pi s) / (2 pi))
constexpr double kTruckMetres = 0.8;   // sideways (+x) travel: x = kTruckMetres * (1 - cos(pi s)) / 2
constexpr double kPanDegrees = 5.0;    // yaw to the left and back: yaw = -kPanDegrees * sin(pi s)
// (every term starts and ends with zero velocity, so the motion eases in and out)

struct Camera {
  Vec3 position;              // world, metres
  double yaw = 0;             // radians; positive turns towards +x (right)
  Vec3 right, down, forward;  // camera-space axes in world coordinates, unit length
  double focal = 0;           // focal length, pixels
  double cx = 0, cy = 0;      // principal point, pixels from the top-left corner of the picture

  // The ray direction through picture point (u, v), in pixels from the top-left corner (the
  // centre of pixel (column c, row r) is (c + 0.5, r + 0.5)), scaled so that its camera-space
  // z is 1: a point at position + t * ray(u, v) has depth t.
  Vec3 ray(double u, double v) const { return forward + right * ((u - cx) / focal) + down * ((v - cy) / focal); }
};

// The camera of frame `index` (0 <= index < options.frames) of the clip `options` describes.
Camera camera_at(const ClipOptions& options, int64_t index);

}  // namespace s3d::sample_scene
