#include "s3d-preview/preview_command.hpp"

#include <chrono>
#include <iostream>

#include "cli/command_line.hpp"
#include "cli/list_option.hpp"

namespace s3d::tools {

std::optional<PreviewCommand> parse_preview_command(const std::vector<std::string>& args, std::ostream& out) {
  PreviewCommand command;
  // The in-between views' folders are taken out first: cxxopts would split names at commas.
  const auto inner = cli::take_list_option(args, "inner-views");
  cli::CommandLine line(
      "s3d-preview",
      "Pictures to judge the 3D by, from what the other tools made for a few frames: the depth in colour with a "
      "legend, the stereo pair, a red-cyan anaglyph, a wiggle GIF, and one contact sheet + HTML page with the "
      "parameters (Makefile.pipeline's preview target runs the tools and this; docs/preview.md).",
      "s3d-preview --frames DIR --depth DIR --views DIR --out DIR [options]");
  line.bind(preview::PreviewOptions::table(), command.options)
      .option("", "inner-views",
              "DIR ...: left/right eyes of the same frames at smaller parallaxes, outermost first (every word up to "
              "the next --option; see --wiggle-views)",
              "", [](std::string_view) {})
      .epilog("Example:\n  s3d-preview --frames frames --depth depth --views views --out preview --params params.txt");
  if (!line.parse(inner.rest, out)) return std::nullopt;
  command.quiet = line.quiet();
  for (const auto& dir : inner.values) command.options.inner_views.emplace_back(dir);
  command.options.check();
  return command;
}

int preview_main(const std::vector<std::string>& args) {
  return cli::run_main("s3d-preview", [&] {
    auto command = parse_preview_command(args, std::cout);
    if (!command) return cli::kOk;
    StderrProgress progress("s3d-preview", command->quiet);
    command->options.progress = progress.callback();
    const auto start = std::chrono::steady_clock::now();
    const auto result = preview::make_preview(command->options);
    progress.finish(frame_summary(result.frames, "previewed into '" + command->options.out_dir.string() + "'", 0,
                                  seconds_since(start)));
    return cli::kOk;
  });
}

}  // namespace s3d::tools
