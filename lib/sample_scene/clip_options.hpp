// What a sample clip is: the picture size, the camera's field of view, its length and rate.
// One option table (core/option_table.hpp) binds each field to its s3d-sample option.
#pragma once
#include "core/frame_stage_options.hpp"
#include "core/option_table.hpp"

namespace s3d::sample_scene {

struct ClipOptions : ThreadOptions {  // threads: rows rendered at once, 0 = every core
  int width = 1280;   // --width: picture width, pixels, 16..7680 (default 1280)
  int height = 720;   // --height: picture height, pixels, 16..4320 (default 720)
  double fov = 60;    // --fov: horizontal field of view of the pinhole camera, degrees, 20..120 (default 60)
  int frames = 240;   // --frames: frames in the clip, 1..28800 (default 240: 10 s at 24 fps); the camera
                      //   travels the same path whatever the count (camera.hpp)
  int fps = 24;       // --fps: frames per second of the clip, 1..120 (default 24)

  static const OptionTable<ClipOptions>& table();
  void check() const;  // UsageError for a value out of its range

  double seconds() const { return static_cast<double>(frames) / fps; }  // the clip's duration
};

}  // namespace s3d::sample_scene
