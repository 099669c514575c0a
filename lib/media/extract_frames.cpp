#include "media/extract_frames.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

#include "core/errors.hpp"
#include "core/file_identity.hpp"
#include "core/frame_store.hpp"
#include "core/parallel.hpp"
#include "core/value_parsers.hpp"
#include "imageio/frame_writer.hpp"
#include "imageio/png_chunks.hpp"
#include "media/subprocess.hpp"

namespace s3d::media {
namespace {

// Frames decoded by one ffmpeg run: [start, end).
struct Span {
  int64_t start, end;
};

// Runs of missing frames, merged when the gap between them is short: decoding a few
// present frames again is cheaper than a new ffmpeg start and seek.
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

std::string seconds_text(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9f", seconds);
  return buf;
}

int even(double x) { return std::max(2, static_cast<int>(std::lround(x / 2)) * 2); }

cv::Size output_size(const VideoInfo& info, const ScaleSize& s) {
  if (s.width > 0 && s.height > 0) return {s.width, s.height};
  if (s.width > 0) return {s.width, even(double(s.width) * info.height / info.width)};
  if (s.height > 0) return {even(double(s.height) * info.width / info.height), s.height};
  return {info.width, info.height};
}

// A 16-bit gray source (a depth archive) stays 16-bit gray; everything else becomes 8-bit RGB.
bool is_gray16(const VideoInfo& info) { return info.pix_fmt.rfind("gray16", 0) == 0; }

std::vector<std::string> decode_command(const VideoInfo& info, Rational rate, Span span, cv::Size size,
                                        const ExtractOptions& o) {
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
  if (size != cv::Size(info.width, info.height))
    filters += ",scale=" + std::to_string(size.width) + ":" + std::to_string(size.height);
  cmd.insert(cmd.end(), {"-vf", filters, "-fps_mode", "passthrough", "-frames:v", std::to_string(span.end - span.start)});
  if (o.threads > 0) cmd.insert(cmd.end(), {"-threads", std::to_string(o.threads)});
  if (o.image_format == "png")  // ffmpeg's frame-threaded PNG encoder: ~2x faster than libpng's filters
    cmd.insert(cmd.end(), {"-c:v", "png", "-compression_level", std::to_string(o.png_compression), "-pix_fmt",
                           is_gray16(info) ? "gray16be" : "rgb24", "-f", "image2pipe", "pipe:1"});
  else
    cmd.insert(cmd.end(), {"-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"});
  return cmd;
}

}  // namespace

ScaleSize parse_scale(std::string_view text, const std::string& option) {
  auto bad = [&] {
    return UsageError(option + " '" + std::string(text) +
                      "': expected W:H in pixels, 1..16384 (one of them may be -1 to keep the aspect ratio)");
  };
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) throw bad();
  ScaleSize s;
  try {
    s.width = static_cast<int>(parse_integer(text.substr(0, colon), option));
    s.height = static_cast<int>(parse_integer(text.substr(colon + 1), option));
  } catch (const UsageError&) {
    throw bad();
  }
  const auto valid = [](int v) { return v == -1 || (v >= 1 && v <= 16384); };
  if (!valid(s.width) || !valid(s.height) || (s.width == -1 && s.height == -1)) throw bad();
  return s;
}

const OptionTable<ExtractOptions>& ExtractOptions::table() {
  static const auto table =
      OptionTable<ExtractOptions>()
          .path("input", &ExtractOptions::input, "Source video file (positional)", Need::kRequired, "INPUT")
          .path("out", &ExtractOptions::out_dir, "Output frame directory, created if missing", Need::kRequired, "DIR")
          .value<ScaleSize>(
              "scale", &ExtractOptions::scale, [](std::string_view t, const std::string& o) { return parse_scale(t, o); },
              [](const ScaleSize& s) {
                return s.is_source_size() ? std::string() : std::to_string(s.width) + ":" + std::to_string(s.height);
              },
              "W:H", "Output size in pixels; -1 for one of them keeps the aspect ratio (rounded to even); default: "
                     "the source size")
          .value<std::optional<Rational>>(
              "fps", &ExtractOptions::fps,
              [](std::string_view t, const std::string& o) { return std::optional(parse_frame_rate(t, o)); },
              [](const std::optional<Rational>& r) { return r ? r->str() : std::string(); }, "RATE",
              "Frame grid rate, e.g. 24000/1001 or 25 (default: the probed rate; a variable-rate source is sampled at "
              "its average rate, frames duplicated or dropped)")
          .number("first-index", &ExtractOptions::first_index, Bounds{0, 999999},
                  "Global frame index of the video's first frame (for a video that holds frames N.. of a film, "
                  "such as a chunk's depth archive); --range is in global indices")
          .one_of("hwaccel", &ExtractOptions::hwaccel, {"none", "auto", "cuda"}, "Decoder acceleration (ffmpeg -hwaccel)")
          .one_of("image-format", &ExtractOptions::image_format, {"png", "jpg"}, "Frame file format")
          .number("png-compression", &ExtractOptions::png_compression, Bounds{0, 9},
                  "PNG zlib level (1 = fast; frames are intermediate)")
          .number("quality", &ExtractOptions::jpeg_quality, Bounds{1, 100}, "JPEG quality")
          .include(FrameStageOptions::table());
  return table;
}

void ExtractOptions::check() const {
  table().check(*this);
  if (fps && !fps->valid()) throw UsageError("--fps: expected a positive rate such as 24000/1001, got " + fps->str());
  refuse_overwriting_input(out_dir, "--out", input, "INPUT");
  if (range.start < first_index && !range.is_all())
    throw UsageError("--range " + range.str() + ": starts before --first-index " + std::to_string(first_index) +
                     " (the video's first frame)");
}

ExtractResult extract_frames(const ExtractOptions& options) {
  options.check();
  // A bounded range needs no frame count (counting reads the whole film).
  return extract_frames(options, probe_video(options.input, options.range.is_open(), options.fps));
}

ExtractResult extract_frames(const ExtractOptions& options, const VideoInfo& probed) {
  options.check();
  VideoInfo info = probed;
  const Rational rate = options.fps.value_or(info.frame_rate);
  if (options.fps && *options.fps != info.frame_rate)
    info.frame_count = std::llround(info.duration * rate.value());  // the grid at the forced rate
  if (is_gray16(info) && options.image_format != "png")
    throw UsageError("--image-format " + options.image_format + ": '" + info.path.string() +
                     "' is 16-bit gray (a depth archive?), which only PNG keeps losslessly: use png");

  // Global indices (file names) = video frame indices + offset.
  const int64_t offset = options.first_index;
  const FrameRange& global = options.range;
  const int64_t start = std::max(global.start, offset) - offset;  // video frame indices from here on
  if (global.is_open() && info.frame_count < 0)
    throw Error("'" + info.path.string() + "': an open --range needs the frame count, which was not probed");
  const int64_t end = global.is_open() ? info.frame_count : global.end - offset;
  // Uncounted (a bounded range of a Matroska film), the video's last timestamp still bounds it.
  const int64_t estimate = info.frame_count < 0 && info.duration > 0 ? std::llround(info.duration * rate.value()) : -1;
  if (estimate >= 0 && end > estimate + 1)
    throw Error("--range " + global.str() + ": '" + info.path.string() + "' has about " + std::to_string(estimate) +
                " frames (its video ends at " + format_real(info.start_time + info.duration) +
                " s), expected END <= " + std::to_string(offset + estimate));
  if (info.frame_count >= 0 && (end > info.frame_count || start > info.frame_count))
    throw Error("--range " + global.str() + ": '" + info.path.string() + "' has " + std::to_string(info.frame_count) +
                " frames (" + info.count_method + ")" +
                (offset ? ", global indices " + std::to_string(offset) + ":" + std::to_string(offset + info.frame_count)
                        : std::string()) +
                ", expected START and END <= " + std::to_string(offset + info.frame_count));
  const std::string ext = "." + options.image_format;
  frame_filename(std::max<int64_t>(offset + end - 1, 0), ext);  // throws if the indices do not fit the store's names

  // What is already there: skipped unless --force; a frame stored under the other
  // extension would be stored twice, so that is an error before any work.
  std::map<int64_t, fs::path> present;  // by video frame index
  std::error_code ec;
  if (fs::is_directory(options.out_dir, ec))
    for (const auto& f : list_frames(options.out_dir))
      if (f.index >= offset + start && f.index < offset + end) present[f.index - offset] = f.path;
  ExtractResult result;
  std::vector<bool> wanted(static_cast<size_t>(std::max<int64_t>(end - start, 0)), true);
  for (const auto& [index, path] : present) {
    if (options.force && path.extension() != ext)
      throw Error("frame " + std::to_string(offset + index) + " is stored as '" + path.string() + "'; writing it as " +
                  ext + " would store it twice (remove it or use --image-format " + path.extension().string().substr(1) +
                  ")");
    if (!options.force) {
      wanted[index - start] = false;
      ++result.skipped;
    }
  }
  const int64_t total = static_cast<int64_t>(std::count(wanted.begin(), wanted.end(), true));
  if (total == 0) return result;
  ensure_directory(options.out_dir);

  const cv::Size size = output_size(info, options.scale);
  const size_t frame_bytes = static_cast<size_t>(size.width) * size.height * 3;
  const int threads = resolve_threads(options.threads);
  ImageWriteOptions write_options;
  write_options.png_compression = options.png_compression;
  write_options.jpeg_quality = options.jpeg_quality;
  FrameWriterPool writers(threads, 2 * static_cast<size_t>(threads) + 2, write_options, options.progress, total);
  const std::string source = "'" + info.path.string() + "' (ffmpeg's PNG stream)";

  const int64_t max_gap = std::max<int64_t>(24, std::llround(2 * rate.value()));
  for (const Span& span : plan_spans(wanted, start, max_gap)) {
    Subprocess ffmpeg(decode_command(info, rate, span, size, options), Subprocess::Io::kNull, Subprocess::Io::kPipe);
    ++result.decoder_runs;
    const auto read = [&](void* data, size_t n) {
      size_t got = 0;
      ffmpeg.read_exact(data, n, &got);
      return got;
    };
    int64_t index = span.start;
    for (; index < span.end; ++index) {
      const bool keep = wanted[index - start];
      const fs::path out = frame_path(options.out_dir, offset + index, ext);
      if (options.image_format == "png") {
        std::string png;
        if (!png::read_png_from_stream(read, png, source)) break;
        if (keep) writers.push_encoded(out, std::move(png));
      } else {
        cv::Mat frame(size, CV_8UC3);
        if (!ffmpeg.read_exact(frame.data, frame_bytes)) break;
        if (keep) writers.push(out, frame);
      }
    }
    ffmpeg.check_exit(ffmpeg.wait(), "decoding frames " + std::to_string(offset + span.start) + ":" +
                                         std::to_string(offset + span.end) + " of '" + info.path.string() + "'");
    if (index < span.end)
      throw Error("'" + info.path.string() + "': expected frames " + std::to_string(offset + span.start) + ":" +
                  std::to_string(offset + span.end) + ", ffmpeg delivered " + std::to_string(index - span.start) +
                  " (the video ends at frame " + std::to_string(offset + index) + "; frame count " +
                  std::to_string(info.frame_count) + ", " + info.count_method + ")");
  }
  writers.finish();
  result.written = total;
  return result;
}

}  // namespace s3d::media
