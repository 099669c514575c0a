// s3d-pack's command line: its arguments -> pack::PackOptions (callable in-process, as the
// tests do), and its main(): parse, run, report.
#pragma once
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "pack/pack_frames.hpp"

namespace s3d::tools {

struct PackCommand {
  pack::PackOptions options;  // checked
  bool quiet = false;         // --quiet
};

// `args` is argv without the program name. Nothing when --help or --version was given (their
// text goes to `out`). Throws UsageError for a bad command line or invalid values.
std::optional<PackCommand> parse_pack_command(const std::vector<std::string>& args, std::ostream& out);

// The whole tool; returns its exit code.
int pack_main(const std::vector<std::string>& args);

}  // namespace s3d::tools
