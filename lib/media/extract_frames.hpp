// The s3d-extract stage: a video file -> a frame store of its frames, frame-exact for any
// --range, at a cost proportional to the range's length (not its position in the film).
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "common/frame_range.hpp"
#include "common/progress.hpp"
#include "media/probe.hpp"
#include "media/rational.hpp"

namespace s3d::media {

namespace fs = std::filesystem;

struct ExtractOptions {
  fs::path input;                   // source video (required)
  fs::path out_dir;                 // frame store, created if missing (required)
  FrameRange range;                 // global frame indices; default every frame of the source
  int scale_width = 0;              // --scale W:H output size in pixels; 0 = source size;
  int scale_height = 0;             //   -1 in one of them keeps the aspect ratio (rounded to even)
  std::optional<Rational> fps;      // --fps: frame grid rate; default the probed rate (see probe.hpp)
  std::string hwaccel = "none";     // --hwaccel: none | auto | cuda (ffmpeg's -hwaccel); default none
  std::string image_format = "png"; // png | jpg; default png
  int png_compression = 1;          // zlib level 0..9; default 1 (fast: frames are intermediate)
  int jpeg_quality = 95;            // 1..100; default 95
  bool force = false;               // re-extract frames already present
  int threads = 0;                  // ffmpeg's threads and image writers; 0 = every core (ffmpeg: its default)
  ProgressFn progress;              // called after each written frame (may be empty)

  // Throws UsageError for invalid values (before the input is opened).
  void check() const;
};

struct ExtractResult {
  int64_t written = 0;    // frames extracted now
  int64_t skipped = 0;    // frames already present
  int64_t decoder_runs = 0;  // ffmpeg invocations (one per run of missing frames)
};

// Parses "W:H" (-1 allowed in one of them); throws UsageError naming --scale.
void parse_scale(const std::string& text, int& width, int& height);

// Extracts the frames of options.range that are missing from options.out_dir.
// Frame k is the source picture shown at time start_time + k / rate on the constant-rate
// grid (ffmpeg's fps filter, nearest timestamp): variable-rate sources get frames
// duplicated or dropped, identically for full and range extractions.
ExtractResult extract_frames(const ExtractOptions& options);

// The same, for an already probed input (saves a probe when the caller has one).
ExtractResult extract_frames(const ExtractOptions& options, const VideoInfo& info);

}  // namespace s3d::media
