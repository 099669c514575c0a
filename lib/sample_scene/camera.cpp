#include "sample_scene/camera.hpp"

#include <cmath>

namespace s3d::sample_scene {

Camera camera_at(const ClipOptions& options, int64_t index) {
  constexpr double kPi = 3.14159265358979323846;
  const double s = static_cast<double>(index) / options.frames;
  Camera c;
  c.position = {kTruckMetres * (1 - std::cos(kPi * s)) / 2, kCameraHeight,
                kDollyMetres * (s - std::sin(2 * kPi * s) / (2 * kPi))};
  c.yaw = -kPanDegrees * kPi / 180 * std::sin(kPi * s);
  c.forward = {std::sin(c.yaw), 0, std::cos(c.yaw)};
  c.right = {std::cos(c.yaw), 0, -std::sin(c.yaw)};
  c.down = {0, -1, 0};
  c.focal = options.width / 2.0 / std::tan(options.fov * kPi / 360);
  c.cx = options.width / 2.0;
  c.cy = options.height / 2.0;
  return c;
}

}  // namespace s3d::sample_scene
