#include "s3d-sample/clip_writer.hpp"

#include <cstdio>
#include <future>
#include <optional>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "imageio/atomic_file.hpp"
#include "imageio/image_file.hpp"
#include "media/output_check.hpp"
#include "media/subprocess.hpp"
#include "media/video_codec.hpp"
#include "sample_scene/inverse_depth.hpp"
#include "sample_scene/render.hpp"

namespace s3d::tools {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

bool present(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

}  // namespace

std::string sample_audio_expression() {
  // Am, F, C, G: a bass note and a triad each, 2.5 s apart, repeating every 10 s; each chord
  // swells in over ~80 ms, decays slowly and fades out over its last 0.125 s (no clicks).
  struct Chord {
    double notes[4];  // Hz
  };
  static const Chord chords[] = {{{110.00, 220.00, 261.63, 329.63}},
                                 {{87.31, 174.61, 220.00, 261.63}},
                                 {{130.81, 196.00, 261.63, 329.63}},
                                 {{98.00, 196.00, 246.94, 293.66}}};
  constexpr double kChordSeconds = 2.5;
  std::string sum;
  for (int k = 0; k < 4; ++k) {
    const std::string a = number(k * kChordSeconds), b = number((k + 1) * kChordSeconds);
    const std::string since = "(ld(0)-" + a + ")";
    std::string tones;
    for (int n = 0; n < 4; ++n)
      tones += std::string(n ? "+" : "") + (n ? "" : "1.3*") + "sin(2*PI*" + number(chords[k].notes[n]) + "*t)";
    sum += std::string(k ? "+" : "") + "gte(ld(0)," + a + ")*lt(ld(0)," + b + ")*(1-exp(-12*" + since + "))*exp(-0.5*" +
           since + ")*min(1,(" + b + "-ld(0))*8)*(" + tones + ")";
  }
  return "st(0,mod(t," + number(4 * kChordSeconds) + "));0.07*(" + sum + ")";
}

std::vector<std::string> sample_encode_command(const SampleCommand& command, const std::string& temp) {
  const auto& clip = command.clip;
  const std::string seconds = number(clip.seconds());
  std::vector<std::string> cmd = {media::ffmpeg_program(), "-hide_banner", "-nostdin", "-v", "error",
                                  "-f", "rawvideo", "-pix_fmt", "bgr24",
                                  "-video_size", std::to_string(clip.width) + "x" + std::to_string(clip.height),
                                  "-framerate", std::to_string(clip.fps), "-i", "pipe:0",
                                  "-f", "lavfi", "-i",
                                  "aevalsrc=exprs='" + sample_audio_expression() + "':c=stereo:s=48000:d=" + seconds,
                                  "-map", "0:v", "-map", "1:a",
                                  // BGR -> YUV with the BT.709 matrix, limited range, and tagged so (as s3d-encode).
                                  "-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p"};
  const auto enc = media::encoder_args("libx264", "medium", media::default_crf("libx264"), "", clip.threads);
  cmd.insert(cmd.end(), enc.begin(), enc.end());
  cmd.insert(cmd.end(), {"-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range",
                         "tv", "-c:a", "aac", "-b:a", "160k", "-map_metadata",
                         "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-f",
                         media::muxer_for(command.out, "--out"), temp});
  return cmd;
}

SampleClipResult write_sample_clip(const SampleCommand& command, const ProgressFn& progress) {
  const auto& clip = command.clip;
  SampleClipResult result;

  // What is to do, checked before any rendering.
  std::error_code ec;
  if (fs::is_directory(command.out, ec))
    throw Error("--out '" + command.out.string() + "' is a directory, expected a video file");
  const bool video = command.force || !present(command.out);
  std::vector<bool> depth_needed(static_cast<size_t>(clip.frames), false);
  if (!command.depth_out.empty()) {
    if (present(command.depth_out) && !fs::is_directory(command.depth_out, ec))
      throw Error("--depth-out '" + command.depth_out.string() + "' exists and is not a directory");
    for (int64_t i = 0; i < clip.frames; ++i) {
      const bool stored = present(command.depth_out) && find_frame(command.depth_out, i).has_value();
      depth_needed[static_cast<size_t>(i)] = command.force || !stored;
      if (!depth_needed[static_cast<size_t>(i)]) ++result.depth_skipped;
    }
  }
  int64_t depth_to_write = 0;
  for (const bool needed : depth_needed) depth_to_write += needed ? 1 : 0;
  if (!video && depth_to_write == 0) return result;
  if (!command.out.parent_path().empty()) ensure_directory(command.out.parent_path());
  if (!command.depth_out.empty()) ensure_directory(command.depth_out);

  std::optional<AtomicOutput> output;
  std::optional<media::Subprocess> ffmpeg;
  if (video) {
    output.emplace(command.out);
    ffmpeg.emplace(sample_encode_command(command, output->temp().string()), media::Subprocess::Io::kPipe,
                   media::Subprocess::Io::kNull);
  }
  const auto send = [&](const sample_scene::RenderedFrame& frame, int64_t index) {
    if (video && !ffmpeg->write_all(frame.bgr.data, frame.bgr.total() * frame.bgr.elemSize())) {
      const int code = ffmpeg->wait();  // the encoder quit early
      ffmpeg->check_exit(code ? code : 1, "writing '" + command.out.string() + "' at frame " + std::to_string(index));
    }
    if (!command.depth_out.empty() && depth_needed[static_cast<size_t>(index)]) {
      ImageWriteOptions png;
      png.fast_png = true;
      write_image_atomic(frame_path(command.depth_out, index, ".png"), sample_scene::inverse_depth_16(frame.depth),
                         png);
    }
  };

  // Frame i renders while frame i - 1 goes to ffmpeg and its depth to disk.
  const sample_scene::Scene scene = sample_scene::demo_scene();
  sample_scene::RenderedFrame frames[2];
  std::future<void> writing;
  int64_t done = 0;
  const int64_t total = video ? clip.frames : depth_to_write;
  for (int64_t i = 0; i < clip.frames; ++i) {
    if (!video && !depth_needed[static_cast<size_t>(i)]) continue;
    auto& frame = frames[result.frames_rendered++ % 2];  // not the one being written
    sample_scene::render_frame(scene, clip, i, frame);
    if (writing.valid()) writing.get();
    writing = std::async(std::launch::async, send, std::cref(frame), i);
    if (progress) progress(++done, total);
  }
  if (writing.valid()) writing.get();
  result.depth_written = depth_to_write;
  if (video) {
    ffmpeg->close_stdin();
    ffmpeg->check_exit(ffmpeg->wait(), "writing '" + command.out.string() + "'");
    media::check_written_video(output->temp(), clip.frames, ffmpeg->stderr_text(), command.out,
                               "writing the sample clip");
    output->commit();
    result.video_written = true;
  }
  return result;
}

}  // namespace s3d::tools
