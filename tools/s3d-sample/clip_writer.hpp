// s3d-sample's work: renders the sample clip (lib/sample_scene) frame by frame and pipes the
// raw BGR frames to ffmpeg (libx264, yuv420p, with a generated chord progression as its
// audio), and optionally writes each frame's true depth as a 16-bit PNG in the depth-map
// convention (sample_scene/inverse_depth.hpp). Every file appears under its final name only
// when complete (AtomicOutput, write_image_atomic).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "s3d-sample/sample_command.hpp"

namespace s3d::tools {

struct SampleClipResult {
  bool video_written = false;  // false: --out existed (kept, not --force)
  int64_t frames_rendered = 0;
  int64_t depth_written = 0;   // depth maps written
  int64_t depth_skipped = 0;   // depth maps that existed (kept, not --force)
};

// The ffmpeg arguments that turn `command`'s raw frames on stdin into the clip at `temp`.
std::vector<std::string> sample_encode_command(const SampleCommand& command, const std::string& temp);

// The audio: an aevalsrc expression of a soft four-chord progression (one chord per 2.5 s).
std::string sample_audio_expression();

// Renders and writes what is missing (everything with --force). Throws Error on failure.
SampleClipResult write_sample_clip(const SampleCommand& command, const ProgressFn& progress);

}  // namespace s3d::tools
