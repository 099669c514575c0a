#include "media/video_decoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "media/subprocess.hpp"

namespace s3d::media {
namespace {

std::string seconds_text(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9f", seconds);
  return buf;
}

}  // namespace

std::vector<Span> plan_spans(const std::vector<bool>& wanted, int64_t first, int64_t max_gap) {
  std::vector<Span> spans;
  for (int64_t i = 0; i < static_cast<int64_t>(wanted.size()); ++i) {
    if (!wanted[i]) continue;
    const int64_t index = first + i;
    if (!spans.empty() && index - spans.back().end <= max_gap)
      spans.back().end = index + 1;
    else
      spans.push_back({index, index + 1});
  }
  return spans;
}

int64_t merge_gap(Rational rate) { return std::max<int64_t>(24, std::llround(2 * rate.value())); }

int even_size(double x) { return std::max(2, static_cast<int>(std::lround(x / 2)) * 2); }

bool is_gray16(const VideoInfo& info) { return info.pix_fmt.rfind("gray16", 0) == 0; }

std::vector<std::string> decode_command(const VideoInfo& info, Rational rate, Span span, const DecodeSettings& o) {
  std::vector<std::string> cmd = {ffmpeg_program(), "-hide_banner", "-nostdin", "-v", "error"};
  if (o.hwaccel != "none") cmd.insert(cmd.end(), {"-hwaccel", o.hwaccel});
  // Source timestamps all the way through, so the fps filter lays the same grid over a
  // range as over the whole film.
  cmd.push_back("-copyts");
  const double first_time = frame_time(info.start_time, span.start, rate);
  // Input seek (to the keyframe before, then decoding with frames before -ss discarded),
  // two frames early so the frame nearest to the grid point is never cut away.
  const double seek = first_time - info.format_start_time - 2.0 * rate.den / rate.num;
  if (span.start > 0 && seek > 0) cmd.insert(cmd.end(), {"-ss", seconds_text(seek)});
  cmd.insert(cmd.end(), {"-i", info.path.string(), "-map", "0:" + std::to_string(info.video_index)});
  // The grid is laid relative to the video's first timestamp: frame k sits at k / rate
  // exactly, so container rounding (Matroska's milliseconds) or a start such as 0.021 s
  // never puts a frame near the midpoint between two grid points.
  // tpad holds the last picture 0.45 frame longer: the grid's last point is still filled when
  // the container gives the last frame half its real duration (a header rate twice the real
  // one), and a correct stream gains no frame (the end stays below the next half grid step).
  std::string filters = "setpts=PTS-(" + seconds_text(info.start_time) + ")/TB,tpad=stop_mode=clone:stop_duration=" +
                        seconds_text(0.45 * rate.den / rate.num) + ",fps=fps=" + rate.str() +
                        ":start_time=" + seconds_text(frame_time(0, span.start, rate)) + ":round=near";
  if (o.size != cv::Size(info.width, info.height))
    filters += ",scale=" + std::to_string(o.size.width) + ":" + std::to_string(o.size.height);
  cmd.insert(cmd.end(), {"-vf", filters, "-fps_mode", "passthrough", "-frames:v", std::to_string(span.end - span.start)});
  if (o.threads > 0) cmd.insert(cmd.end(), {"-threads", std::to_string(o.threads)});
  if (o.output == DecodeSettings::Output::kPng)  // ffmpeg's frame-threaded PNG encoder: ~2x faster than libpng's filters
    cmd.insert(cmd.end(), {"-c:v", "png", "-compression_level", std::to_string(o.png_compression), "-pix_fmt",
                           is_gray16(info) ? "gray16be" : "rgb24", "-f", "image2pipe", "pipe:1"});
  else
    cmd.insert(cmd.end(), {"-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"});
  return cmd;
}

}  // namespace s3d::media
