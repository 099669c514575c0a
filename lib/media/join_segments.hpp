// s3d-encode, join mode: encoded segments + the source film -> the final 3D file, without
// re-encoding; every audio, subtitle and attachment stream, the chapters and the metadata
// come from the source unchanged, and the stereo layout is written into the container.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "core/option_table.hpp"
#include "core/progress.hpp"
#include "stereo/stereo_format.hpp"

namespace s3d::media {

namespace fs = std::filesystem;

struct JoinOptions {
  std::vector<fs::path> segments;  // --segments S1 S2 ...: video segments in play order (required)
  fs::path source;                 // --source: the original film: audio, subtitles, chapters, metadata (required)
  fs::path out;                    // --out: final file, .mkv or .mp4 (required)
  stereo::StereoFormat stereo;     // --layout (default hsbs), --order (default left-first) of the frames
  bool suffix = false;             // --suffix: append the player file name suffix (_LR_3dh, ...) to `out`
  bool force = false;              // --force: rewrite when the final file exists
  ProgressFn progress;             // (frames muxed, total frames) (may be empty)

  // Every option but --segments (a list, which the tool takes out of argv itself).
  static const OptionTable<JoinOptions>& table();
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
// MKV: StereoMode is set (ffmpeg's stereo_mode stream tag: left_right, right_left,
// top_bottom, bottom_top). MP4: the video is first muxed to a temporary MKV carrying the
// stereo mode, whose stereo side data then becomes the MP4 `st3d` box (Google's
// spherical-video spec; strict=unofficial) — left-eye-first layouts only, since st3d has no
// right-first mode; text subtitles are converted to mov_text, other subtitle codecs and
// attachments are dropped (all reported in warnings). vr180: the video is first muxed to a
// temporary MP4 into which s3d writes the Spherical Video V2 boxes (st3d left-right, sv3d
// equirectangular with 180x180 degree bounds, media/mp4_spherical.hpp); the final MP4 carries
// them on, a final MKV gets StereoMode left_right and its Projection element from them.
JoinResult join_segments(const JoinOptions& options);

// The concat demuxer's list file for `segments` (absolute paths, quotes escaped).
std::string concat_list(const std::vector<fs::path>& segments);

}  // namespace s3d::media
