// The s3d-extract stage: a video file -> a frame store of its frames, frame-exact for any
// --range, at a cost proportional to the range's length (not its position in the film).
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "core/frame_stage_options.hpp"
#include "media/probe.hpp"
#include "media/rational.hpp"

namespace s3d::media {

namespace fs = std::filesystem;

// A --scale value: output size in pixels; 0 = the source's; -1 in one of them keeps the
// aspect ratio (rounded to even).
struct ScaleSize {
  int width = 0, height = 0;
  bool is_source_size() const { return width == 0 && height == 0; }
};

struct ExtractOptions : FrameStageOptions {  // range: global frame indices; threads: ffmpeg's and the writers'
  fs::path input;                   // INPUT (positional): source video (required)
  fs::path out_dir;                 // --out: frame store, created if missing (required)
  ScaleSize scale;                  // --scale W:H; default the source size
  std::optional<Rational> fps;      // --fps: frame grid rate; default the probed rate (see probe.hpp)
  int64_t first_index = 0;          // --first-index: global index of the video's first frame, 0..999999;
                                    //   for a video holding frames N.. of a film (a depth archive), default 0
  std::string hwaccel = "none";     // --hwaccel: none | auto | cuda (ffmpeg's -hwaccel); default none
  std::string image_format = "png"; // --image-format: png | jpg; default png
  int png_compression = 1;          // --png-compression: zlib level 0..9; default 1 (fast: frames are intermediate)
  int jpeg_quality = 95;            // --quality: 1..100; default 95

  static const OptionTable<ExtractOptions>& table();
  // Throws UsageError for invalid values (before the input is opened).
  void check() const;
};

struct ExtractResult {
  int64_t written = 0;    // frames extracted now
  int64_t skipped = 0;    // frames already present
  int64_t decoder_runs = 0;  // ffmpeg invocations (one per run of missing frames)
};

// Parses "W:H" (-1 allowed in one of them); throws UsageError naming `option`.
ScaleSize parse_scale(std::string_view text, const std::string& option = "--scale");

// Extracts the frames of options.range that are missing from options.out_dir.
// Frame k is the source picture shown at time start_time + k / rate on the constant-rate
// grid (ffmpeg's fps filter, nearest timestamp): variable-rate sources get frames
// duplicated or dropped, identically for full and range extractions. 8-bit sources become
// 8-bit RGB frames; 16-bit gray sources (depth archives) 16-bit gray PNGs, losslessly.
ExtractResult extract_frames(const ExtractOptions& options);

// The same, for an already probed input (saves a probe when the caller has one).
ExtractResult extract_frames(const ExtractOptions& options, const VideoInfo& info);

}  // namespace s3d::media
