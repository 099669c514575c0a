// s3d-encode's command line: its arguments -> a segment encode (media::SegmentOptions) or a
// join (media::JoinOptions), callable in-process as the tests do; and its main().
#pragma once
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "media/encode_segment.hpp"
#include "media/join_segments.hpp"

namespace s3d::tools {

struct EncodeCommand {
  bool join = false;               // --segments given: join mode
  media::SegmentOptions segment;   // segment mode's options (checked in segment mode)
  media::JoinOptions joining;      // join mode's options (checked in join mode)
  bool quiet = false;              // --quiet
};

// `args` is argv without the program name. Nothing when --help or --version was given (their
// text goes to `out`). Throws UsageError for a bad command line or invalid values.
std::optional<EncodeCommand> parse_encode_command(const std::vector<std::string>& args, std::ostream& out);

// The whole tool; returns its exit code.
int encode_main(const std::vector<std::string>& args);

}  // namespace s3d::tools
