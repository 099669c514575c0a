// s3d-extract's command line: its arguments -> media::ExtractOptions, or a probe (callable
// in-process, as the tests do), and its main(): parse, run, report.
#pragma once
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "media/extract_frames.hpp"

namespace s3d::tools {

struct ExtractCommand {
  media::ExtractOptions options;  // checked unless probing
  bool probe = false;             // --probe: describe the input on stdout instead of extracting
  std::string probe_format = "json";  // --probe-format: json | make (Makefile.pipeline's variables)
  bool quiet = false;             // --quiet
};

// `args` is argv without the program name. Nothing when --help or --version was given (their
// text goes to `out`). Throws UsageError for a bad command line or invalid values.
std::optional<ExtractCommand> parse_extract_command(const std::vector<std::string>& args, std::ostream& out);

// The whole tool; returns its exit code.
int extract_main(const std::vector<std::string>& args);

}  // namespace s3d::tools
