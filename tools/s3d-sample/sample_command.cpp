#include "s3d-sample/sample_command.hpp"

#include <chrono>
#include <iostream>

#include "cli/command_line.hpp"
#include "media/video_codec.hpp"
#include "s3d-sample/clip_writer.hpp"

namespace s3d::tools {

const OptionTable<SampleCommand>& SampleCommand::table() {
  static const auto table =
      OptionTable<SampleCommand>()
          .path("out", &SampleCommand::out,
                "The clip to write (.mkv recommended, .mp4, .mov, .ts): H.264 4:2:0 with a stereo AAC chord "
                "progression; an existing file is kept unless --force",
                Need::kRequired, "FILE")
          .path("depth-out", &SampleCommand::depth_out,
                "Also write each frame's true depth to DIR/000000.png, ...: 16-bit, 0 = sky (1000 m) .. 65535 = 2 m "
                "or nearer, linear in 1/depth (default: none)",
                Need::kOptional, "DIR")
          .flag("force", &SampleCommand::force, "Rewrite the clip and depth maps that exist (default: keep them)");
  return table;
}

std::optional<SampleCommand> parse_sample_command(const std::vector<std::string>& args, std::ostream& out) {
  SampleCommand command;
  cli::CommandLine line("s3d-sample",
                        "Render the built-in sample clip: a camera dollying through a scene of known geometry (a "
                        "paved ground, a brick wall 40 m away, spheres and boxes from 4 to 25 m), with its true depth.",
                        "s3d-sample --out FILE [--depth-out DIR] [options]");
  line.bind(SampleCommand::table(), command)
      .bind(sample_scene::ClipOptions::table(), command.clip, "Clip")
      .epilog("Example:\n  s3d-sample --out s3d-demo/sample.mkv --depth-out s3d-demo/true-depth");
  if (!line.parse(args, out)) return std::nullopt;
  command.quiet = line.quiet();
  SampleCommand::table().check(command);
  command.clip.check();
  media::muxer_for(command.out, "--out");
  if (command.clip.width % 2 || command.clip.height % 2)
    throw UsageError("--width/--height: 4:2:0 video needs even sizes, got " + std::to_string(command.clip.width) + "x" +
                     std::to_string(command.clip.height));
  if (!command.depth_out.empty() && command.depth_out.lexically_normal() == command.out.lexically_normal())
    throw UsageError("--depth-out '" + command.depth_out.string() + "' is the --out file: give a folder of its own");
  return command;
}

int sample_main(const std::vector<std::string>& args) {
  return cli::run_main("s3d-sample", [&] {
    auto command = parse_sample_command(args, std::cout);
    if (!command) return cli::kOk;
    StderrProgress progress("s3d-sample", command->quiet);
    const auto start = std::chrono::steady_clock::now();
    const auto result = write_sample_clip(*command, progress.callback());
    const auto& clip = command->clip;
    std::string what = "rendered (" + std::to_string(clip.width) + "x" + std::to_string(clip.height) + ", " +
                       std::to_string(clip.fps) + " fps)";
    what += result.video_written ? " into '" + command->out.string() + "'" : ", '" + command->out.string() + "' kept";
    if (!command->depth_out.empty()) what += ", " + std::to_string(result.depth_written) + " depth maps written";
    // "Already present": frames whose every output existed, so not rendered.
    progress.finish(frame_summary(result.frames_rendered, what, clip.frames - result.frames_rendered,
                                  seconds_since(start)));
    return cli::kOk;
  });
}

}  // namespace s3d::tools
