#include "s3d-extract/extract_command.hpp"

#include <chrono>
#include <iostream>

#include "cli/command_line.hpp"

namespace s3d::tools {
namespace {

// The probe switches, bound like library options.
const OptionTable<ExtractCommand>& probe_table() {
  static const auto table =
      OptionTable<ExtractCommand>()
          .flag("probe", &ExtractCommand::probe,
                "Describe the input on stdout and exit: frame count, frame rate (rational), size, pixel format, "
                "duration, and its audio/subtitle/attachment streams")
          .one_of("probe-format", &ExtractCommand::probe_format, {"json", "make"},
                  "--probe output: json (one object) | make (S3D_FRAMES, S3D_FPS, ... for Makefile.pipeline)");
  return table;
}

}  // namespace

std::optional<ExtractCommand> parse_extract_command(const std::vector<std::string>& args, std::ostream& out) {
  ExtractCommand command;
  cli::CommandLine line("s3d-extract",
                        "Extract the frames of a video into a frame store (000000.png, ...), frame-exact for any --range "
                        "at a cost proportional to the range's length; or describe it with --probe.",
                        "s3d-extract INPUT --out DIR [options]   |   s3d-extract --probe INPUT");
  line.bind(media::ExtractOptions::table(), command.options)
      .bind(probe_table(), command, "Probe")
      .positional("input")
      .epilog("Example:\n  s3d-extract film.mkv --out frames --range 0:1000");
  if (!line.parse(args, out)) return std::nullopt;
  command.quiet = line.quiet();
  probe_table().check(command);
  if (command.probe) {
    if (command.options.input.empty()) throw UsageError("--probe: missing the input video file (see --help)");
    if (!command.options.out_dir.empty())
      throw UsageError("--probe prints a description and exits; it takes no --out (give one or the other)");
  } else {
    if (command.probe_format != "json") throw UsageError("--probe-format needs --probe");
    command.options.check();
  }
  return command;
}

int extract_main(const std::vector<std::string>& args) {
  return cli::run_main("s3d-extract", [&] {
    auto command = parse_extract_command(args, std::cout);
    if (!command) return cli::kOk;
    if (command->probe) {
      const auto info = media::probe_video(command->options.input, true, command->options.fps);
      std::cout << (command->probe_format == "make" ? media::probe_make_variables(info) : media::probe_json(info))
                << std::flush;
      return cli::kOk;
    }
    StderrProgress progress("s3d-extract", command->quiet);
    command->options.progress = progress.callback();
    const auto start = std::chrono::steady_clock::now();
    const auto result = media::extract_frames(command->options);
    progress.finish(frame_summary(result.written, "extracted", result.skipped, seconds_since(start)));
    return cli::kOk;
  });
}

}  // namespace s3d::tools
