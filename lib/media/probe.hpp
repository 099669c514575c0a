// What s3d needs to know about a source video, from ffprobe: the video stream the
// pipeline works on, its constant-rate frame grid, and every stream the final file keeps.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "media/rational.hpp"

namespace s3d::media {

namespace fs = std::filesystem;

// An audio, subtitle or attachment stream of the source (copied unchanged by s3d-encode).
struct SideStream {
  int index = 0;          // absolute stream index in the file (ffmpeg's -map 0:N)
  std::string type;       // "audio" | "subtitle" | "attachment"
  std::string codec;      // codec_name, e.g. "aac", "subrip", "ttf"; "" if ffprobe names none
  std::string language;   // language tag ("eng"), "" when absent
  std::string title;      // title tag, "" when absent
  std::string filename;   // attachments: filename tag
  int channels = 0;       // audio only
};

struct VideoInfo {
  fs::path path;
  int video_index = -1;       // absolute index of the video stream used (first one that is not cover art)
  std::string codec;          // e.g. "h264"
  int width = 0, height = 0;  // picture size in pixels as displayed (swapped for a 90/270 degree
                              // rotation, which ffmpeg applies when decoding)
  std::string pix_fmt;        // e.g. "yuv420p"
  Rational r_frame_rate;      // ffprobe's r_frame_rate (base rate able to represent every timestamp)
  Rational avg_frame_rate;    // ffprobe's avg_frame_rate (frames / duration); 0/1 when unknown
  Rational frame_rate;        // the rate of s3d's frame grid (see grid_rate below)
  bool variable_rate = false; // r_frame_rate and avg_frame_rate disagree by more than 0.1%
  double start_time = 0;      // seconds of the video stream's first timestamp (may be > 0)
  double format_start_time = 0;  // seconds of the container's start (what ffmpeg -ss is relative to)
  double duration = 0;        // seconds: the video stream's duration, else the container's
  int64_t frame_count = 0;    // frames on s3d's grid (see count_method); -1 = not counted
  std::string count_method;   // "nb_frames" | "count_packets" | "duration*rate" | "not counted"
  int chapters = 0;           // number of chapters
  std::vector<SideStream> streams;                  // audio/subtitle/attachment streams, in file order
  std::map<std::string, std::string> video_tags;    // tags of the video stream (language, title, ...)
};

// Probes `path` with ffprobe. The frame grid: constant rate at `frame_rate` =
// r_frame_rate, unless the source is variable-rate (avg_frame_rate differs by > 0.1%),
// then avg_frame_rate. Frame count: the container's nb_frames when present and the rate
// is constant; otherwise packets counted by ffprobe (-count_packets, reads the whole
// file); for variable-rate sources round(duration * frame_rate).
// Counting packets reads the whole file, so callers that do not need the count pass
// `count_frames = false`: frame_count is then -1 unless the header had nb_frames.
// Throws Error if the file is missing, unreadable, or has no video stream.
VideoInfo probe_video(const fs::path& path, bool count_frames = true);

// The --probe JSON document (one object, newline-terminated).
std::string probe_json(const VideoInfo& info);

// The same facts as make variable assignments, for Makefile.pipeline to include:
// S3D_FRAMES, S3D_FPS (num/den), S3D_VARIABLE_RATE (0/1), S3D_WIDTH, S3D_HEIGHT,
// S3D_DURATION and S3D_START_TIME (seconds).
std::string probe_make_variables(const VideoInfo& info);

}  // namespace s3d::media
