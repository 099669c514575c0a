#include "s3d-pack/pack_command.hpp"

#include <chrono>
#include <iostream>

#include "cli/command_line.hpp"

namespace s3d::tools {

std::optional<PackCommand> parse_pack_command(const std::vector<std::string>& args, std::ostream& out) {
  PackCommand command;
  cli::CommandLine line("s3d-pack", "Pack left/right eye frames into 3D frames (side-by-side, over-under, anaglyph, cross-eyed, VR180).",
                        "s3d-pack --left DIR --right DIR --out DIR [options]");
  line.bind(pack::PackOptions::table(), command.options)
      .epilog("Example:\n  s3d-pack --left views/left --right views/right --out packed --format hsbs");
  if (!line.parse(args, out)) return std::nullopt;
  command.quiet = line.quiet();
  command.options.check();
  return command;
}

int pack_main(const std::vector<std::string>& args) {
  return cli::run_main("s3d-pack", [&] {
    auto command = parse_pack_command(args, std::cout);
    if (!command) return cli::kOk;
    StderrProgress progress("s3d-pack", command->quiet);
    command->options.progress = progress.callback();
    const auto start = std::chrono::steady_clock::now();
    const auto result = pack::pack_frames(command->options);
    progress.finish(frame_summary(result.written, "packed (" + stereo::describe(command->options.stereo) + ")",
                                  result.skipped, seconds_since(start)));
    return cli::kOk;
  });
}

}  // namespace s3d::tools
