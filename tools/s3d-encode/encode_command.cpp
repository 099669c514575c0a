#include "s3d-encode/encode_command.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/command_line.hpp"
#include "cli/list_option.hpp"

namespace s3d::tools {
namespace {

const char* kDescription =
    "Encode packed 3D frames into a video segment, or join segments with the source's audio, subtitles and chapters "
    "into the final file.";
const char* kSegmentUsage = "s3d-encode --frames DIR --fps RATE --out SEGMENT.mkv [--range A:B] [encoder options]";
const char* kJoinUsage = "s3d-encode --segments S1 S2 ... --source INPUT --out FILE.mkv|.mp4 [--layout L] [--order O]";
const char* kExample =
    "Example:\n  s3d-encode --segments seg0.mkv seg1.mkv --source film.mkv --out film_3D.mkv --layout hsbs";

// The two modes take different options under the same names (--out, --force), so each has
// its own command line; --help shows both.
cli::CommandLine segment_line(EncodeCommand& command) {
  cli::CommandLine line("s3d-encode", kDescription, std::string(kSegmentUsage) + "\n       " + kJoinUsage);
  line.bind(media::SegmentOptions::table(), command.segment, "Segment mode");
  return line;
}

cli::CommandLine join_line(EncodeCommand& command) {
  cli::CommandLine line("s3d-encode", kDescription, kJoinUsage);
  line.bind(media::JoinOptions::table(), command.joining, "Join mode")
      .option("Join mode", "segments", "S1 S2 ...: the segments in play order (every word up to the next --option)", "",
              [](std::string_view) {})
      .epilog(kExample);
  return line;
}

}  // namespace

std::optional<EncodeCommand> parse_encode_command(const std::vector<std::string>& args, std::ostream& out) {
  EncodeCommand command;
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      out << segment_line(command).help() << "\n" << join_line(command).help() << std::flush;
      return std::nullopt;
    }
  // The segment list is taken out first: cxxopts would split names at commas.
  const auto segments = cli::take_list_option(args, "segments");
  command.join = segments.present;
  if (!command.join) {
    auto line = segment_line(command);
    if (!line.parse(args, out)) return std::nullopt;
    command.quiet = line.quiet();
    command.segment.check();
    return command;
  }
  auto line = join_line(command);
  if (!line.parse(segments.rest, out)) return std::nullopt;
  command.quiet = line.quiet();
  for (const auto& s : segments.values) command.joining.segments.emplace_back(s);
  command.joining.check();
  return command;
}

int encode_main(const std::vector<std::string>& args) {
  return cli::run_main("s3d-encode", [&] {
    auto command = parse_encode_command(args, std::cout);
    if (!command) return cli::kOk;
    const auto start = std::chrono::steady_clock::now();
    StderrProgress progress("s3d-encode", command->quiet);
    char summary[1024];
    if (command->join) {
      auto& opt = command->joining;
      opt.progress = progress.callback();
      const auto result = media::join_segments(opt);
      for (const auto& w : result.warnings)
        if (!command->quiet) std::fprintf(stderr, "s3d-encode: warning: %s\n", w.c_str());
      const double secs = seconds_since(start);
      std::snprintf(summary, sizeof summary, "%s '%s' (%zu segments, %lld frames, %s), %s",
                    result.skipped ? "already present:" : "wrote", result.output.c_str(), opt.segments.size(),
                    static_cast<long long>(result.frames), stereo::describe(opt.stereo).c_str(),
                    timing_text(result.skipped ? 0 : result.frames, secs).c_str());
      progress.finish(summary);
      return cli::kOk;
    }
    auto& opt = command->segment;
    opt.progress = progress.callback();
    const auto result = media::encode_segment(opt);
    const double secs = seconds_since(start);
    if (result.skipped)
      std::snprintf(summary, sizeof summary, "segment '%s' already present, nothing to do", opt.out.c_str());
    else
      std::snprintf(summary, sizeof summary, "%lld frames encoded to '%s' (%s, %dx%d), %s",
                    static_cast<long long>(result.frames), opt.out.c_str(), result.codec.c_str(),
                    result.coded_size.width, result.coded_size.height, timing_text(result.frames, secs).c_str());
    progress.finish(summary);
    return cli::kOk;
  });
}

}  // namespace s3d::tools
