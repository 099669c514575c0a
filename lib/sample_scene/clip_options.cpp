#include "sample_scene/clip_options.hpp"

namespace s3d::sample_scene {

const OptionTable<ClipOptions>& ClipOptions::table() {
  static const auto table =
      OptionTable<ClipOptions>()
          .number("width", &ClipOptions::width, Bounds{16, 7680}, "Picture width, pixels", "W")
          .number("height", &ClipOptions::height, Bounds{16, 4320}, "Picture height, pixels", "H")
          .number("fov", &ClipOptions::fov, Bounds{20, 120}, "Horizontal field of view of the camera, degrees", "DEG")
          .number("frames", &ClipOptions::frames, Bounds{1, 28800},
                  "Frames in the clip (the camera travels the same path whatever the count)")
          .number("fps", &ClipOptions::fps, Bounds{1, 120}, "Frames per second", "RATE")
          .include(ThreadOptions::table());
  return table;
}

void ClipOptions::check() const { table().check(*this); }

}  // namespace s3d::sample_scene
