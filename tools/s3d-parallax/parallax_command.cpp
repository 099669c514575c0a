#include "s3d-parallax/parallax_command.hpp"

#include <chrono>
#include <iostream>

#include "cli/command_line.hpp"

namespace s3d::tools {

std::optional<ParallaxCommand> parse_parallax_command(const std::vector<std::string>& args, std::ostream& out) {
  ParallaxCommand command;
  cli::CommandLine line("s3d-parallax", "Synthesize left/right eye views from frames and their depth maps.",
                        "s3d-parallax --frames DIR --depth DIR --out DIR [options]");
  line.bind(parallax::ParallaxOptions::table(), command.options)
      .epilog("Example:\n  s3d-parallax --frames frames --depth depth --out views --parallax 12 --convergence 0.2");
  if (!line.parse(args, out)) return std::nullopt;
  command.quiet = line.quiet();
  command.options.check();
  return command;
}

int parallax_main(const std::vector<std::string>& args) {
  return cli::run_main("s3d-parallax", [&] {
    auto command = parse_parallax_command(args, std::cout);
    if (!command) return cli::kOk;
    auto& options = command->options;
    const std::string method = parallax::method_names().name(options.synthesis.method);
    if (options.benchmark > 0) {
      const auto r = parallax::benchmark_frame(options);
      std::cout << "ms_per_frame " << r.median_ms << " min " << r.min_ms << " size " << r.size.width << "x"
                << r.size.height << " frame " << r.frame << " method " << method << std::endl;
      return cli::kOk;
    }
    StderrProgress progress("s3d-parallax", command->quiet);
    options.progress = progress.callback();
    const auto start = std::chrono::steady_clock::now();
    const auto result = parallax::synthesize_frames(options);
    progress.finish(frame_summary(result.written, "synthesized (" + method + ")", result.skipped, seconds_since(start)));
    return cli::kOk;
  });
}

}  // namespace s3d::tools
