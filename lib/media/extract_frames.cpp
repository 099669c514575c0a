#include "media/extract_frames.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

#include "common/errors.hpp"
#include "common/frame_store.hpp"
#include "common/parallel.hpp"
#include "media/frame_writer_pool.hpp"
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

cv::Size output_size(const VideoInfo& info, const ExtractOptions& o) {
  if (o.scale_width > 0 && o.scale_height > 0) return {o.scale_width, o.scale_height};
  if (o.scale_width > 0) return {o.scale_width, even(double(o.scale_width) * info.height / info.width)};
  if (o.scale_height > 0) return {even(double(o.scale_height) * info.width / info.height), o.scale_height};
  return {info.width, info.height};
}

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
  std::string filters = "setpts=PTS-(" + seconds_text(info.start_time) + ")/TB,fps=fps=" + rate.str() +
                        ":start_time=" + seconds_text(frame_time(0, span.start, rate)) + ":round=near";
  if (size != cv::Size(info.width, info.height))
    filters += ",scale=" + std::to_string(size.width) + ":" + std::to_string(size.height);
  cmd.insert(cmd.end(), {"-vf", filters, "-fps_mode", "passthrough", "-frames:v", std::to_string(span.end - span.start)});
  if (o.threads > 0) cmd.insert(cmd.end(), {"-threads", std::to_string(o.threads)});
  if (o.image_format == "png")  // ffmpeg's frame-threaded PNG encoder: ~2x faster than libpng's filters
    cmd.insert(cmd.end(), {"-c:v", "png", "-compression_level", std::to_string(o.png_compression), "-pix_fmt", "rgb24",
                           "-f", "image2pipe", "pipe:1"});
  else
    cmd.insert(cmd.end(), {"-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"});
  return cmd;
}

uint32_t big_endian32(const unsigned char* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// Reads one PNG file from a stream of concatenated PNGs (image2pipe): the signature, then
// chunks (length, type, data, CRC) up to IEND. False at the end of the stream.
bool read_png(Subprocess& ffmpeg, std::string& png, const fs::path& input) {
  static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  png.assign(8, '\0');
  size_t got = 0;
  if (!ffmpeg.read_exact(png.data(), 8, &got)) {
    if (got == 0) return false;
    throw Error("'" + input.string() + "': ffmpeg's PNG stream ended inside a file signature");
  }
  if (std::memcmp(png.data(), kSignature, 8) != 0)
    throw Error("'" + input.string() + "': ffmpeg's output is not a PNG stream (bad signature)");
  for (;;) {
    unsigned char header[8];
    if (!ffmpeg.read_exact(header, 8))
      throw Error("'" + input.string() + "': ffmpeg's PNG stream ended inside a chunk header");
    const uint32_t length = big_endian32(header);
    if (length > (1u << 31)) throw Error("'" + input.string() + "': corrupt PNG chunk length in ffmpeg's output");
    const size_t start = png.size();
    png.append(reinterpret_cast<const char*>(header), 8);
    png.resize(start + 8 + length + 4);  // data + CRC
    if (!ffmpeg.read_exact(png.data() + start + 8, length + 4))
      throw Error("'" + input.string() + "': ffmpeg's PNG stream ended inside a chunk");
    if (std::memcmp(header + 4, "IEND", 4) == 0) return true;
  }
}

}  // namespace

void parse_scale(const std::string& text, int& width, int& height) {
  const auto colon = text.find(':');
  auto bad = [&] {
    return UsageError("--scale '" + text + "': expected W:H in pixels (one of them may be -1 to keep the aspect ratio)");
  };
  if (colon == std::string::npos) throw bad();
  try {
    size_t used_w = 0, used_h = 0;
    const std::string w = text.substr(0, colon), h = text.substr(colon + 1);
    width = std::stoi(w, &used_w);
    height = std::stoi(h, &used_h);
    if (used_w != w.size() || used_h != h.size()) throw bad();
  } catch (const std::logic_error&) {
    throw bad();
  }
  if ((width <= 0 && width != -1) || (height <= 0 && height != -1) || (width == -1 && height == -1)) throw bad();
}

void ExtractOptions::check() const {
  if (input.empty()) throw UsageError("missing required input file (see --help)");
  if (out_dir.empty()) throw UsageError("missing required option --out (see --help)");
  if (image_format != "png" && image_format != "jpg")
    throw UsageError("--image-format: expected png or jpg, got '" + image_format + "'");
  if (png_compression < 0 || png_compression > 9)
    throw UsageError("--png-compression: expected 0..9, got " + std::to_string(png_compression));
  if (jpeg_quality < 1 || jpeg_quality > 100)
    throw UsageError("--quality: expected 1..100, got " + std::to_string(jpeg_quality));
  if (hwaccel != "none" && hwaccel != "auto" && hwaccel != "cuda")
    throw UsageError("--hwaccel: expected auto, none or cuda, got '" + hwaccel + "'");
  if (fps && !fps->valid()) throw UsageError("--fps: expected a positive rate such as 24000/1001, got " + fps->str());
  if ((scale_width < 0 && scale_width != -1) || (scale_height < 0 && scale_height != -1) ||
      (scale_width == -1 && scale_height <= 0) || (scale_height == -1 && scale_width <= 0))
    throw UsageError("--scale: expected W:H with at most one -1");
  if (threads < 0) throw UsageError("--threads: expected >= 0, got " + std::to_string(threads));
}

ExtractResult extract_frames(const ExtractOptions& options) {
  options.check();
  // A bounded range needs no frame count (counting reads the whole film).
  return extract_frames(options, probe_video(options.input, options.range.is_open()));
}

ExtractResult extract_frames(const ExtractOptions& options, const VideoInfo& probed) {
  options.check();
  VideoInfo info = probed;
  const Rational rate = options.fps.value_or(info.frame_rate);
  if (options.fps && *options.fps != info.frame_rate)
    info.frame_count = std::llround(info.duration * rate.value());  // the grid at the forced rate

  const FrameRange& range = options.range;
  if (range.is_open() && info.frame_count < 0)
    throw Error("'" + info.path.string() + "': an open --range needs the frame count, which was not probed");
  const int64_t end = range.is_open() ? info.frame_count : range.end;
  if (info.frame_count >= 0 && (end > info.frame_count || range.start > info.frame_count))
    throw Error("--range " + range.str() + ": '" + info.path.string() + "' has " + std::to_string(info.frame_count) +
                " frames (" + info.count_method + "), expected START and END <= " + std::to_string(info.frame_count));
  const std::string ext = "." + options.image_format;
  frame_filename(std::max<int64_t>(end - 1, 0), ext);  // throws if the indices do not fit the store's names

  // What is already there: skipped unless --force; a frame stored under the other
  // extension would be stored twice, so that is an error before any work.
  std::map<int64_t, fs::path> present;
  std::error_code ec;
  if (fs::is_directory(options.out_dir, ec))
    for (const auto& f : list_frames(options.out_dir))
      if (f.index >= range.start && f.index < end) present[f.index] = f.path;
  ExtractResult result;
  std::vector<bool> wanted(static_cast<size_t>(std::max<int64_t>(end - range.start, 0)), true);
  for (const auto& [index, path] : present) {
    if (options.force && path.extension() != ext)
      throw Error("frame " + std::to_string(index) + " is stored as '" + path.string() + "'; writing it as " + ext +
                  " would store it twice (remove it or use --image-format " + path.extension().string().substr(1) + ")");
    if (!options.force) {
      wanted[index - range.start] = false;
      ++result.skipped;
    }
  }
  const int64_t total = static_cast<int64_t>(std::count(wanted.begin(), wanted.end(), true));
  if (total == 0) return result;
  ensure_directory(options.out_dir);

  const cv::Size size = output_size(info, options);
  const size_t frame_bytes = static_cast<size_t>(size.width) * size.height * 3;
  const int threads = resolve_threads(options.threads);
  ImageWriteOptions write_options;
  write_options.png_compression = options.png_compression;
  write_options.jpeg_quality = options.jpeg_quality;
  FrameWriterPool writers(threads, 2 * static_cast<size_t>(threads) + 2, write_options, options.progress, total);

  const int64_t max_gap = std::max<int64_t>(24, std::llround(2 * rate.value()));
  for (const Span& span : plan_spans(wanted, range.start, max_gap)) {
    Subprocess ffmpeg(decode_command(info, rate, span, size, options), Subprocess::Io::kNull, Subprocess::Io::kPipe);
    ++result.decoder_runs;
    int64_t index = span.start;
    for (; index < span.end; ++index) {
      const bool keep = wanted[index - range.start];
      if (options.image_format == "png") {
        std::string png;
        if (!read_png(ffmpeg, png, info.path)) break;
        if (keep) writers.push_encoded(frame_path(options.out_dir, index, ext), std::move(png));
      } else {
        cv::Mat frame(size, CV_8UC3);
        if (!ffmpeg.read_exact(frame.data, frame_bytes)) break;
        if (keep) writers.push(frame_path(options.out_dir, index, ext), frame);
      }
    }
    ffmpeg.check_exit(ffmpeg.wait(), "decoding frames " + std::to_string(span.start) + ":" +
                                         std::to_string(span.end) + " of '" + info.path.string() + "'");
    if (index < span.end)
      throw Error("'" + info.path.string() + "': expected frames " + std::to_string(span.start) + ":" +
                  std::to_string(span.end) + ", ffmpeg delivered " + std::to_string(index - span.start) +
                  " (the video ends at frame " + std::to_string(index) + "; frame count " +
                  std::to_string(info.frame_count) + ", " + info.count_method + ")");
  }
  writers.finish();
  result.written = total;
  return result;
}

}  // namespace s3d::media
