#include "media/encode_segment.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <future>

#include "core/errors.hpp"
#include "core/file_identity.hpp"
#include "core/frame_store.hpp"
#include "core/parallel.hpp"
#include "imageio/atomic_file.hpp"
#include "imageio/frame_stream.hpp"
#include "imageio/image_file.hpp"
#include "media/output_check.hpp"
#include "media/subprocess.hpp"
#include "media/video_codec.hpp"

namespace s3d::media {
namespace {

std::string size_text(cv::Size s) { return std::to_string(s.width) + "x" + std::to_string(s.height); }

// `gray16`: 16-bit gray frames (depth maps), kept as they are (ffv1 only); else 8-bit BGR.
std::vector<std::string> encode_command(const SegmentOptions& o, const std::string& codec, cv::Size size,
                                        cv::Size coded, bool gray16, const fs::path& temp) {
  std::vector<std::string> cmd = {ffmpeg_program(), "-hide_banner", "-nostdin", "-v", "error", "-f", "rawvideo",
                                  "-pix_fmt", gray16 ? "gray16le" : "bgr24", "-video_size", size_text(size),
                                  "-framerate", o.fps.str(), "-i", "pipe:0"};
  const auto enc = encoder_args(codec, o.preset, o.crf.value_or(default_crf(codec)), o.bitrate, o.threads);
  if (codec == "ffv1") {  // lossless: the pixels as they are
    cmd.insert(cmd.end(), {"-pix_fmt", gray16 ? "gray16le" : "bgr0"});
    cmd.insert(cmd.end(), enc.begin(), enc.end());
  } else {
    std::string filters;
    if (coded != size)
      filters = "pad=" + std::to_string(coded.width) + ":" + std::to_string(coded.height) + ":0:0:black,";
    // BGR -> YUV with the BT.709 matrix, limited range, and the stream tagged so.
    filters += "scale=out_color_matrix=bt709:out_range=tv,format=" + encoder_pix_fmt(codec, o.pix_fmt);
    cmd.insert(cmd.end(), {"-vf", filters});
    cmd.insert(cmd.end(), enc.begin(), enc.end());
    cmd.insert(cmd.end(),
               {"-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"});
  }
  cmd.insert(cmd.end(), {"-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-f",
                         muxer_for(o.out, "--out"), temp.string()});
  return cmd;
}

}  // namespace

cv::Size coded_size_for(cv::Size size, const std::string& pix_fmt) {
  if (pix_fmt.find("420") == std::string::npos) return size;
  return {size.width + size.width % 2, size.height + size.height % 2};
}

const OptionTable<SegmentOptions>& SegmentOptions::table() {
  static const auto table =
      OptionTable<SegmentOptions>()
          .path("frames", &SegmentOptions::frames_dir, "Packed frame directory to encode, or - for a frame stream on stdin (s3d-parallax --out -) (segment mode)",
                Need::kRequired, "DIR")
          .path("out", &SegmentOptions::out,
                "The segment (.mkv recommended, .mp4, .mov, .ts); an existing file is kept (skipped) unless --force",
                Need::kRequired, "FILE")
          .value<Rational>(
              "fps", &SegmentOptions::fps, [](std::string_view t, const std::string& o) { return parse_frame_rate(t, o); },
              [](const Rational& r) { return r.valid() ? r.str() : std::string(); }, "RATE",
              "Frame rate, exactly the source's (e.g. 24000/1001; see s3d-extract --probe)", Need::kRequired)
          .one_of("codec", &SegmentOptions::codec, codec_names(),
                  "Encoder (auto: h264_nvenc when a test encode works, else libx264; ffv1: lossless, also for 16-bit "
                  "gray depth maps)")
          .number("crf", &SegmentOptions::crf, Bounds{0, 51},
                  "Constant quality (lower = better); default per codec: libx264 18, libx265 20, NVENC cq 19")
          .text("bitrate", &SegmentOptions::bitrate,
                "Average bitrate instead of constant quality, e.g. 8M (excludes --crf; default: constant quality)",
                Need::kOptional, "RATE")
          .text("preset", &SegmentOptions::preset,
                "Encoder preset (x264/x265: ultrafast..veryslow; NVENC: p1..p7 or slow/medium/fast)", Need::kOptional,
                "NAME")
          .one_of("pix-fmt", &SegmentOptions::pix_fmt, {"yuv420p", "yuv420p10le"},
                  "yuv420p (8-bit) | yuv420p10le (10-bit). Odd frame sizes get one black column/row added (4:2:0 "
                  "needs even sizes)")
          .include(FrameStageOptions::table());
  return table;
}

void SegmentOptions::check() const {
  table().check(*this);
  muxer_for(out, "--out");
  refuse_overwriting_input(out, "--out", frames_dir, "--frames");
  if (crf && !bitrate.empty()) throw UsageError("--crf and --bitrate exclude each other: give one");
  check_preset(codec, preset);
  if (!bitrate.empty()) check_bitrate(bitrate);
}

namespace {

// Encodes `total` frames of `size` that `next(image, index)` delivers in order.
SegmentResult encode_frames(const SegmentOptions& options, cv::Size size, bool gray16, int64_t total,
                            const std::string& source, const std::function<bool(cv::Mat&, int64_t&)>& next) {
  SegmentResult result;
  result.codec = resolve_codec(options.codec);
  if (gray16 && result.codec != "ffv1")
    throw UsageError("--codec " + options.codec + ": the frames of " + source +
                     " are 16-bit gray (depth maps), which only --codec ffv1 keeps: use it");
  result.frame_size = size;
  result.coded_size = result.codec == "ffv1" ? size : coded_size_for(size, options.pix_fmt);
  if (!options.out.parent_path().empty()) ensure_directory(options.out.parent_path());
  AtomicOutput output(options.out);
  Subprocess ffmpeg(encode_command(options, result.codec, size, result.coded_size, gray16, output.temp()),
                    Subprocess::Io::kPipe, Subprocess::Io::kNull);
  cv::Mat image;
  int64_t index = 0, sent = 0;
  while (next(image, index)) {
    if (image.size() != size || image.type() != (gray16 ? CV_16UC1 : CV_8UC3))  // replaced since the check
      throw Error("frame " + std::to_string(index) + " of " + source + " changed size or type during encoding");
    if (!ffmpeg.write_all(image.data, image.total() * image.elemSize())) {  // the encoder quit early
      const int code = ffmpeg.wait();
      ffmpeg.check_exit(code ? code : 1, "encoding '" + options.out.string() + "' at frame " + std::to_string(index));
    }
    ++sent;
    if (options.progress) options.progress(sent, total);
  }
  if (sent != total)
    throw Error("encoding '" + options.out.string() + "': " + source + " gave " + std::to_string(sent) + " of its " +
                std::to_string(total) + " frames");
  ffmpeg.close_stdin();
  ffmpeg.check_exit(ffmpeg.wait(), "encoding '" + options.out.string() + "'");
  check_written_video(output.temp(), total, ffmpeg.stderr_text(), options.out, "encoding");
  output.commit();
  result.frames = total;
  return result;
}

// `--frames -`: a frame stream on stdin (s3d-parallax --out -). Only its header is read
// here; ffmpeg reads the frames from the same stdin, so they are not copied once more on
// their way (6 MB per 1080p frame). Its -progress lines drive the progress callback; a
// stream that ends early gives fewer packets than the header's count, which the output
// check refuses.
SegmentResult encode_stream(const SegmentOptions& options) {
  FrameStreamReader reader(STDIN_FILENO, "the frame stream on stdin");
  const FrameStreamHeader& h = reader.header();
  const FrameRange streamed{h.first, h.first + h.count};
  if (!options.range.is_all() && (options.range.start != streamed.start || options.range.end != streamed.end))
    throw Error("--range " + options.range.str() + ": the frame stream on stdin holds frames " + streamed.str());
  if (h.count == 0) throw Error("the frame stream on stdin holds no frames: nothing to encode");
  SegmentResult result;
  result.codec = resolve_codec(options.codec);
  result.frame_size = h.size;
  result.coded_size = result.codec == "ffv1" ? h.size : coded_size_for(h.size, options.pix_fmt);
  if (!options.out.parent_path().empty()) ensure_directory(options.out.parent_path());
  AtomicOutput output(options.out);
  std::vector<std::string> command = encode_command(options, result.codec, h.size, result.coded_size, false, output.temp());
  command.insert(command.end() - 1, {"-frames:v", std::to_string(h.count)});
  command.insert(command.begin() + 1, {"-progress", "pipe:1", "-stats_period", "0.25"});
  Subprocess ffmpeg(command, Subprocess::Io::kInherit, Subprocess::Io::kPipe);
  std::string line;
  while (ffmpeg.read_line(line))
    if (line.rfind("frame=", 0) == 0 && options.progress)
      options.progress(std::min<int64_t>(std::atoll(line.c_str() + 6), h.count), h.count);
  ffmpeg.check_exit(ffmpeg.wait(), "encoding '" + options.out.string() + "' from the frame stream on stdin");
  check_written_video(output.temp(), h.count, ffmpeg.stderr_text(), options.out,
                      "encoding the frame stream on stdin (did the program writing it fail? see its message)");
  output.commit();
  result.frames = h.count;
  return result;
}

}  // namespace

SegmentResult encode_segment(const SegmentOptions& options) {
  options.check();
  SegmentResult result;
  std::error_code ec;
  if (!options.force && fs::exists(options.out, ec)) {
    result.skipped = true;
    return result;
  }
  if (options.frames_dir == kFrameStreamIn) return encode_stream(options);

  // Every frame of the range (the default: every frame present, from the first), contiguous,
  // all of one size: checked before encoding.
  const auto frames = frames_in_range(list_frames(options.frames_dir), options.range);
  if (frames.empty())
    throw Error("no frames in '" + options.frames_dir.string() + "' for --range " + options.range.str());
  require_whole_range(frames, options.range, "frame directory '" + options.frames_dir.string() + "'");
  const ImageHeader header = read_image_header(frames.front().path);
  const cv::Size size = header.size;
  const bool gray16 = header.depth == CV_16U && header.channels == 1;
  for (const auto& f : frames) {
    const ImageHeader h = read_image_header(f.path);
    if (h.size != size || (h.depth == CV_16U) != (header.depth == CV_16U))
      throw Error("frame '" + f.path.string() + "' is " + size_text(h.size) + (h.depth == CV_16U ? " 16-bit" : " 8-bit") +
                  ", expected " + size_text(size) + (gray16 ? " 16-bit" : " 8-bit") + " like frame '" +
                  frames.front().path.string() + "'");
  }
  if (header.depth == CV_16U && !gray16)
    throw Error("frame '" + frames.front().path.string() + "' is 16-bit with " + std::to_string(header.channels) +
                " channels: only 16-bit gray (depth maps) or 8-bit frames can be encoded");

  // Frames are decoded in parallel batches, the next batch while the current one is fed to
  // the encoder, in order.
  const int threads = resolve_threads(options.threads);
  const int64_t total = static_cast<int64_t>(frames.size()), batch = std::max(4, 2 * threads);
  const auto load_batch = [&](int64_t begin) {
    std::vector<cv::Mat> images(static_cast<size_t>(std::min(batch, total - begin)));
    parallel_for(static_cast<int64_t>(images.size()), threads,
                 [&](int64_t i) { images[i] = read_image(frames[begin + i].path, gray16 ? kReadUnchanged : kReadColor); });
    return images;
  };
  std::future<std::vector<cv::Mat>> loading = std::async(std::launch::async, load_batch, int64_t{0});
  std::vector<cv::Mat> images;
  int64_t position = 0, in_batch = 0;
  return encode_frames(options, size, gray16, total, "'" + options.frames_dir.string() + "'",
                       [&](cv::Mat& image, int64_t& index) {
                         if (position >= total) return false;
                         if (in_batch == static_cast<int64_t>(images.size())) {
                           images = loading.get();
                           in_batch = 0;
                           if (position + batch < total)
                             loading = std::async(std::launch::async, load_batch, position + batch);
                         }
                         image = images[in_batch++];
                         index = frames[position++].index;
                         return true;
                       });
}

}  // namespace s3d::media
