#include "s3d-parallax/parallax_command.hpp"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli/command_line.hpp"
#include "imageio/frame_stream.hpp"

namespace s3d::tools {

std::optional<ParallaxCommand> parse_parallax_command(const std::vector<std::string>& args, std::ostream& out) {
  ParallaxCommand command;
  cli::CommandLine line("s3d-parallax", "Synthesize left/right eye views from frames and their depth maps.",
                        "s3d-parallax --frames DIR|- | --video FILE  --depth DIR --out DIR|- [options]");
  line.bind(parallax::ParallaxOptions::table(), command.options)
      .bind(media::VideoSourceOptions::table(), command.video, "Frames from a video")
      .bind(parallax::PackedOutput::table(), command.packing, "With --out -: packed frames to stdout")
      .epilog("Example:\n  s3d-parallax --frames frames --depth depth --out views --parallax 12 --convergence 0.2");
  if (!line.parse(args, out)) return std::nullopt;
  command.quiet = line.quiet();
  const bool from_video = !command.video.video.empty();
  if (from_video == !command.options.frames_dir.empty())
    throw UsageError("give the frames as --frames DIR (or - for a frame stream) or as --video FILE, one of them");
  if (command.video.fps && !from_video) throw UsageError("--fps needs --video");
  command.options.check();
  command.packing.check();
  if (command.options.out_dir == parallax::kStreamOut && command.options.synthesis.synthesize != parallax::Eyes::kBoth)
    throw UsageError("--out - packs both eyes: --synthesize must be both");
  return command;
}

namespace {

// Packs each frame's views and writes them to stdout as a frame stream, in order.
int64_t stream_packed(ParallaxCommand& command, FrameSource& frames, parallax::DepthArrival arrival) {
  const auto& options = command.options;
  const auto indices = frames.indices(options.range);
  if (indices.empty()) throw Error(frames.name() + " holds no frame in --range " + options.range.str());
  const FrameStreamHeader header{parallax::packed_frame_size(command.packing, frames.size_of(indices.front())),
                                 indices.front(), static_cast<int64_t>(indices.size())};
  FrameStreamWriter writer(STDOUT_FILENO, header, "stdout");
  return parallax::stream_packed(options, command.packing, frames,
                                 [&](int64_t, const cv::Mat& packed) { writer.write(packed); }, arrival);
}

}  // namespace

int parallax_main(const std::vector<std::string>& args) {
  return cli::run_main("s3d-parallax", [&] {
    auto command = parse_parallax_command(args, std::cout);
    if (!command) return cli::kOk;
    auto& options = command->options;
    const std::string method = parallax::method_names().name(options.synthesis.method);
    if (options.benchmark > 0) {
      // --out - times the packed frame (--pack, --squeeze), as the pipeline makes it.
      const auto r = parallax::benchmark_frame(options, options.out_dir == parallax::kStreamOut ? &command->packing : nullptr);
      std::cout << "ms_per_frame " << r.median_ms << " min " << r.min_ms << " size " << r.size.width << "x"
                << r.size.height << " frame " << r.frame << " method " << method << std::endl;
      return cli::kOk;
    }
    StderrProgress progress("s3d-parallax", command->quiet);
    options.progress = progress.callback();
    const auto start = std::chrono::steady_clock::now();
    const bool streamed_in = options.frames_dir == parallax::kStreamOut || !command->video.video.empty();
    if (options.out_dir == parallax::kStreamOut || streamed_in) {
      if (options.out_dir != parallax::kStreamOut)
        throw UsageError("frames from a video or a stream are warped on the fly: give --out - (packed to stdout)");
      std::unique_ptr<FrameSource> frames =
          !command->video.video.empty() ? media::open_video(command->video, 0)
          : options.frames_dir == parallax::kStreamOut ? open_frame_stream(STDIN_FILENO, "the frame stream on stdin")
                                                       : open_frame_store(options.frames_dir, options.threads);
      const auto arrival = options.frames_dir == parallax::kStreamOut ? parallax::DepthArrival::kWithFrame
                                                                      : parallax::DepthArrival::kBefore;
      const int64_t n = stream_packed(*command, *frames, arrival);
      const std::string format = stereo::describe(command->packing.stereo);
      progress.finish(frame_summary(n,
                                    stereo::is_rgbd(command->packing.stereo.layout)
                                        ? "packed as colour + depth (" + format + ") to stdout"
                                        : "synthesized and packed (" + method + ", " + format + ") to stdout",
                                    0, seconds_since(start)));
      return cli::kOk;
    }
    const auto result = parallax::synthesize_frames(options);
    progress.finish(frame_summary(result.written, "synthesized (" + method + ")", result.skipped, seconds_since(start)));
    return cli::kOk;
  });
}

}  // namespace s3d::tools
