// s3d-parallax's command line: its arguments -> parallax::ParallaxOptions and where the
// frames come from (a frame store, a video, a frame stream) and the views go (eye stores,
// or packed into a frame stream for s3d-encode) — callable in-process, as the tests do —
// and its main(): parse, run (or time), report.
#pragma once
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "media/video_source.hpp"
#include "parallax/parallax_frames.hpp"

namespace s3d::tools {

struct ParallaxCommand {
  parallax::ParallaxOptions options;  // checked
  media::VideoSourceOptions video;    // --video, --fps: frames straight from the film
  parallax::PackedOutput packing;     // with --out -: --pack, --order, --pad, --squeeze
  bool quiet = false;                 // --quiet
};

// `args` is argv without the program name. Nothing when --help or --version was given (their
// text goes to `out`). Throws UsageError for a bad command line or invalid values.
std::optional<ParallaxCommand> parse_parallax_command(const std::vector<std::string>& args, std::ostream& out);

// The whole tool; returns its exit code.
int parallax_main(const std::vector<std::string>& args);

}  // namespace s3d::tools
