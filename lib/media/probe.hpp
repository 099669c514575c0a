// What s3d needs to know about a source video, from ffprobe: the video stream the
// pipeline works on, its constant-rate frame grid, and every stream the final file keeps.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
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
  std::vector<std::string> disposition;  // flags set: "default", "forced", "comment", ...
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
  Rational frame_rate;        // the rate of s3d's frame grid (see probe_video)
  std::string rate_source;    // where frame_rate came from: "r_frame_rate" | "avg_frame_rate" |
                              // "timestamps" (the headers disagreed with them) | "forced"
  bool variable_rate = false; // the timing is not one constant rate: frames are duplicated or
                              // dropped onto the constant frame_rate grid
  double start_time = 0;      // seconds of the video stream's first timestamp (may be > 0)
  double format_start_time = 0;  // seconds of the container's start (what ffmpeg -ss is relative to)
  double duration = 0;        // seconds of video: from the first to the last frame's timestamp plus
                              // one frame when measured, else the stream's or the container's duration
  int64_t frame_count = 0;    // frames on s3d's grid (see count_method); -1 = not counted
  std::string count_method;   // "nb_frames" | "count_packets" | "duration*rate" | "not counted"
  int chapters = 0;           // number of chapters
  std::vector<SideStream> streams;                  // audio/subtitle/attachment streams, in file order
  std::map<std::string, std::string> video_tags;    // tags of the video stream (language, title, ...)
  std::vector<std::string> video_disposition;       // its disposition flags
};

// Probes `path` with ffprobe. The frame grid is constant-rate at `frame_rate`:
// - with `forced_rate` (--fps), that;
// - else from the timestamps: whenever the frames are counted, the rate they show,
//   (frames - 1) / (last - first timestamp), decides which header to believe:
//   r_frame_rate when it agrees (within 2%) and avg_frame_rate does too (constant rate);
//   avg_frame_rate when it agrees (a variable-rate source: frames are duplicated or dropped
//   onto the grid, as ffmpeg's -fps_mode cfr); else the measured rate itself, snapped to a
//   standard rate within 0.3% (a header that lies, e.g. an MKV whose stream says 60 fps for 30);
// - uncounted, the headers alone (r_frame_rate if it agrees with avg_frame_rate).
// Frame count: the frames counted (nb_frames, else -count_packets, which reads the whole
// file) when the rate is r_frame_rate's; else round(duration * rate). Callers that do not
// need the count pass `count_frames = false`: frame_count is then -1 unless the header has
// nb_frames. Throws Error if the file is missing, unreadable, has no video stream or no
// video frames.
VideoInfo probe_video(const fs::path& path, bool count_frames = true,
                      std::optional<Rational> forced_rate = std::nullopt);

// The --probe JSON document (one object, newline-terminated).
std::string probe_json(const VideoInfo& info);

// The same facts as make variable assignments, for Makefile.pipeline to include:
// S3D_FRAMES, S3D_FPS (num/den), S3D_VARIABLE_RATE (0/1), S3D_WIDTH, S3D_HEIGHT,
// S3D_DURATION and S3D_START_TIME (seconds).
std::string probe_make_variables(const VideoInfo& info);

}  // namespace s3d::media
