// s3d-depth's command line: its arguments -> the depth stage's options, the model choice and
// (with LibTorch) the Depth-Anything-V2 options — callable in-process, as the tests do — and
// its main(). Built without LibTorch (S3D_WITH_TORCH=OFF) it runs the heuristic only, and
// says so in --version.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "depth_stage/depth_stage.hpp"
#include "depth_stage/model_locator.hpp"
#include "media/video_source.hpp"
#if S3D_HAVE_DAV2
#include "depth_anything_v2/dav2_estimator.hpp"
#endif

namespace s3d::tools {

// --write-random-checkpoint ENCODER --out FILE [--seed N]: a random-weight checkpoint in the
// official format, for benchmarks and tests of the full-size models (needs LibTorch).
struct RandomCheckpointOptions {
  std::string encoder;  // vits | vitb | vitl | vitg; "" = estimate depth instead
  uint64_t seed = 0;    // random seed
  static const OptionTable<RandomCheckpointOptions>& table();
};

struct BenchmarkOptions {
  int batches = 0;  // --benchmark N: time N batches of the estimator alone instead of writing; 0 = off, <= 100000
  static const OptionTable<BenchmarkOptions>& table();
};

struct DepthCommand {
  depth_stage::DepthStageOptions stage;  // checked (unless writing a checkpoint)
  depth_stage::ModelOptions model;       // --model
  media::VideoSourceOptions video;       // --video, --fps: frames straight from the film
  bool tee = false;                      // --tee -: pass the frames on to stdout as a frame stream
#if S3D_HAVE_DAV2
  dav2::Dav2Options dav2;                // --device, --precision, --input-size (threads = --threads)
#endif
  RandomCheckpointOptions random;
  bool check_only = false;               // --check: validate options and model, then exit
  BenchmarkOptions benchmark;            // --benchmark N
  bool quiet = false;                    // --quiet
};

// `args` is argv without the program name. Nothing when --help or --version was given (their
// text goes to `out`). Throws UsageError for a bad command line or invalid values.
std::optional<DepthCommand> parse_depth_command(const std::vector<std::string>& args, std::ostream& out);

// The whole tool; returns its exit code.
int depth_main(const std::vector<std::string>& args);

// "(Depth-Anything-V2 on LibTorch 1.13.0, CPU)" or "(heuristic only: built without LibTorch)".
std::string depth_build_note();

}  // namespace s3d::tools
