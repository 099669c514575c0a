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
#include "media/video_decoder.hpp"

namespace s3d::media {
namespace {

cv::Size output_size(const VideoInfo& info, const ScaleSize& s) {
  if (s.width > 0 && s.height > 0) return {s.width, s.height};
  if (s.width > 0) return {s.width, even_size(double(s.width) * info.height / info.width)};
  if (s.height > 0) return {even_size(double(s.height) * info.width / info.height), s.height};
  return {info.width, info.height};
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

  const int64_t max_gap = merge_gap(rate);
  for (const Span& span : plan_spans(wanted, start, max_gap)) {
    DecodeSettings decode;
    decode.size = size;
    decode.hwaccel = options.hwaccel;
    decode.threads = options.threads;
    decode.output = options.image_format == "png" ? DecodeSettings::Output::kPng : DecodeSettings::Output::kBgr;
    decode.png_compression = options.png_compression;
    Subprocess ffmpeg(decode_command(info, rate, span, decode), Subprocess::Io::kNull, Subprocess::Io::kPipe);
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
