#include "media/encode_segment.hpp"

#include <algorithm>
#include <future>

#include "common/errors.hpp"
#include "common/frame_store.hpp"
#include "common/image_io.hpp"
#include "common/parallel.hpp"
#include "media/output_file.hpp"
#include "media/subprocess.hpp"
#include "media/video_codec.hpp"

namespace s3d::media {
namespace {

std::string size_text(cv::Size s) { return std::to_string(s.width) + "x" + std::to_string(s.height); }

std::vector<std::string> encode_command(const SegmentOptions& o, const std::string& codec, cv::Size size,
                                        cv::Size coded, const fs::path& temp) {
  std::vector<std::string> cmd = {ffmpeg_program(), "-hide_banner", "-nostdin", "-v",          "error",
                                  "-f",             "rawvideo",     "-pix_fmt", "bgr24",       "-video_size",
                                  size_text(size),  "-framerate",   o.fps.str(), "-i",         "pipe:0"};
  std::string filters;
  if (coded != size) filters = "pad=" + std::to_string(coded.width) + ":" + std::to_string(coded.height) + ":0:0:black,";
  // BGR -> YUV with the BT.709 matrix, limited range, and the stream tagged so.
  filters += "scale=out_color_matrix=bt709:out_range=tv,format=" + encoder_pix_fmt(codec, o.pix_fmt);
  cmd.insert(cmd.end(), {"-vf", filters});
  const auto enc = encoder_args(codec, o.preset, o.crf >= 0 ? o.crf : default_crf(codec), o.bitrate, o.threads);
  cmd.insert(cmd.end(), enc.begin(), enc.end());
  cmd.insert(cmd.end(), {"-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range",
                         "tv", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-f",
                         muxer_for(o.out, "--out"), temp.string()});
  return cmd;
}

}  // namespace

cv::Size coded_size_for(cv::Size size, const std::string& pix_fmt) {
  if (pix_fmt.find("420") == std::string::npos) return size;
  return {size.width + size.width % 2, size.height + size.height % 2};
}

void SegmentOptions::check() const {
  if (frames_dir.empty()) throw UsageError("missing required option --frames (see --help)");
  if (out.empty()) throw UsageError("missing required option --out (see --help)");
  muxer_for(out, "--out");
  if (!fps.valid()) throw UsageError("--fps: expected a positive frame rate such as 24000/1001, got " + fps.str());
  check_codec_name(codec);
  if (pix_fmt != "yuv420p" && pix_fmt != "yuv420p10le")
    throw UsageError("--pix-fmt: expected yuv420p or yuv420p10le, got '" + pix_fmt + "'");
  if (crf > 51) throw UsageError("--crf: expected 0..51, got " + std::to_string(crf));
  if (crf >= 0 && !bitrate.empty()) throw UsageError("--crf and --bitrate exclude each other: give one");
  if (preset.empty()) throw UsageError("--preset: expected an encoder preset such as medium");
  if (threads < 0) throw UsageError("--threads: expected >= 0, got " + std::to_string(threads));
}

SegmentResult encode_segment(const SegmentOptions& options) {
  options.check();
  SegmentResult result;
  std::error_code ec;
  if (!options.force && fs::exists(options.out, ec)) {
    result.skipped = true;
    return result;
  }

  // Every frame of the range, contiguous, all of one size: checked before encoding.
  const auto frames = frames_in_range(list_frames(options.frames_dir), options.range);
  if (frames.empty())
    throw Error("no frames in '" + options.frames_dir.string() + "' for --range " + options.range.str());
  const int64_t first = options.range.start;
  if (frames.front().index != first)
    throw Error("frame " + std::to_string(first) + " missing in '" + options.frames_dir.string() +
                "' (expected every frame of --range " + options.range.str() + ", the first present is " +
                std::to_string(frames.front().index) + ")");
  for (size_t i = 0; i < frames.size(); ++i)
    if (frames[i].index != first + static_cast<int64_t>(i))
      throw Error("frame " + std::to_string(first + static_cast<int64_t>(i)) + " missing in '" +
                  options.frames_dir.string() + "' (expected every frame of --range " + options.range.str() + ")");
  if (!options.range.is_open() && frames.back().index != options.range.end - 1)
    throw Error("frame " + std::to_string(frames.back().index + 1) + " missing in '" + options.frames_dir.string() +
                "' (expected every frame of --range " + options.range.str() + ")");
  const cv::Size size = read_image_size(frames.front().path);
  for (const auto& f : frames) {
    const cv::Size s = read_image_size(f.path);
    if (s != size)
      throw Error("frame '" + f.path.string() + "' is " + size_text(s) + ", expected " + size_text(size) +
                  " like frame '" + frames.front().path.string() + "'");
  }

  result.codec = resolve_codec(options.codec);
  result.frame_size = size;
  result.coded_size = coded_size_for(size, options.pix_fmt);
  if (!options.out.parent_path().empty()) ensure_directory(options.out.parent_path());
  TempOutput output(options.out);
  Subprocess ffmpeg(encode_command(options, result.codec, size, result.coded_size, output.temp()),
                    Subprocess::Io::kPipe, Subprocess::Io::kNull);

  // Frames are decoded in parallel batches, the next batch while the current one is fed
  // to the encoder, in order.
  const int threads = resolve_threads(options.threads);
  const int64_t total = static_cast<int64_t>(frames.size()), batch = std::max(4, 2 * threads);
  const auto load_batch = [&](int64_t begin) {
    std::vector<cv::Mat> images(static_cast<size_t>(std::min(batch, total - begin)));
    parallel_for(static_cast<int64_t>(images.size()), threads,
                 [&](int64_t i) { images[i] = read_image(frames[begin + i].path); });
    return images;
  };
  auto next = std::async(std::launch::async, load_batch, int64_t{0});
  for (int64_t begin = 0; begin < total; begin += batch) {
    const std::vector<cv::Mat> images = next.get();
    if (begin + batch < total) next = std::async(std::launch::async, load_batch, begin + batch);
    const int64_t count = static_cast<int64_t>(images.size());
    for (int64_t i = 0; i < count; ++i) {
      const cv::Mat& image = images[i];
      if (image.size() != size)  // replaced since the check
        throw Error("frame '" + frames[begin + i].path.string() + "' changed size during encoding");
      if (!ffmpeg.write_all(image.data, image.total() * image.elemSize())) {  // the encoder quit early
        const int code = ffmpeg.wait();
        ffmpeg.check_exit(code ? code : 1, "encoding '" + options.out.string() + "' at frame " +
                                               std::to_string(frames[begin + i].index));
      }
      if (options.progress) options.progress(begin + i + 1, total);
    }
  }
  ffmpeg.close_stdin();
  ffmpeg.check_exit(ffmpeg.wait(), "encoding '" + options.out.string() + "'");
  output.commit();
  result.frames = total;
  return result;
}

}  // namespace s3d::media
