// s3d-preview's command line: its arguments -> preview::PreviewOptions (callable in-process,
// as the tests do), and its main(): parse, make the preview, report.
#pragma once
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "preview/preview_frames.hpp"

namespace s3d::tools {

struct PreviewCommand {
  preview::PreviewOptions options;  // checked
  bool quiet = false;               // --quiet
};

// `args` is argv without the program name. Nothing when --help or --version was given (their
// text goes to `out`). Throws UsageError for a bad command line or invalid values.
std::optional<PreviewCommand> parse_preview_command(const std::vector<std::string>& args, std::ostream& out);

// The whole tool; returns its exit code.
int preview_main(const std::vector<std::string>& args);

}  // namespace s3d::tools
