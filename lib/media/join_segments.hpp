// s3d-encode, join mode: encoded segments + the source film -> the final 3D file, without
// re-encoding; every audio, subtitle and attachment stream, the chapters and the metadata
// come from the source unchanged, and the stereo layout is written into the container.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "common/progress.hpp"
#include "media/stereo_layout.hpp"

namespace s3d::media {

namespace fs = std::filesystem;

struct JoinOptions {
  std::vector<fs::path> segments;  // video segments in play order (required, at least one)
  fs::path source;                 // the original film: audio, subtitles, chapters, metadata (required)
  fs::path out;                    // final file, .mkv or .mp4 (required)
  Layout layout = Layout::kHalfSideBySide;  // packing of the frames; default hsbs
  bool suffix = false;             // append the player file name suffix (_LR_3dh, ...) to `out`
  bool force = false;              // rewrite when the final file exists
  ProgressFn progress;             // (frames muxed, total frames) (may be empty)

  void check() const;  // UsageError for invalid values
};

struct JoinResult {
  fs::path output;                    // the file written (with the suffix, if asked)
  bool skipped = false;               // it existed (not --force): nothing done
  int64_t frames = 0;                 // video frames in the segments
  std::vector<std::string> warnings;  // streams MP4 cannot carry, dropped or converted
};

// The final file name: options.out, with the layout suffix when options.suffix.
fs::path final_output_path(const JoinOptions& options);

// Joins the segments (ffmpeg's concat demuxer, stream copy). Checks first that every
// segment exists and that all share codec, size and pixel format.
// MKV: StereoMode is set (ffmpeg's stereo_mode stream tag). MP4: the video is first
// muxed to a temporary MKV carrying the stereo mode, whose stereo side data then becomes
// the MP4 `st3d` box (Google's spherical-video spec; strict=unofficial); text subtitles
// are converted to mov_text, other subtitle codecs and attachments are dropped (reported
// in warnings).
JoinResult join_segments(const JoinOptions& options);

// The concat demuxer's list file for `segments` (absolute paths, quotes escaped).
std::string concat_list(const std::vector<fs::path>& segments);

}  // namespace s3d::media
