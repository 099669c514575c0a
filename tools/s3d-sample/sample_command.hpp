// s3d-sample's command line: its arguments -> SampleCommand (callable in-process), and its
// main(): parse, render and write the built-in sample clip, report.
#pragma once
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "sample_scene/clip_options.hpp"

namespace s3d::tools {

struct SampleCommand {
  sample_scene::ClipOptions clip;  // checked; its width and height are even (4:2:0 video)
  std::filesystem::path out;        // --out: the clip, .mkv (recommended), .mp4, .mov or .ts (required)
  std::filesystem::path depth_out;  // --depth-out: also the true depth, one 16-bit PNG per frame (optional)
  bool force = false;               // --force: rewrite what exists (default: keep it, render only what is missing)
  bool quiet = false;               // --quiet

  static const OptionTable<SampleCommand>& table();  // --out, --depth-out, --force
};

// `args` is argv without the program name. Nothing when --help or --version was given (their
// text goes to `out`). Throws UsageError for a bad command line or invalid values.
std::optional<SampleCommand> parse_sample_command(const std::vector<std::string>& args, std::ostream& out);

// The whole tool; returns its exit code.
int sample_main(const std::vector<std::string>& args);

}  // namespace s3d::tools
