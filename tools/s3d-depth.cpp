// s3d-depth: frames -> 16-bit depth frames (0 = farthest, 65535 = nearest) + per-frame
// sidecar, with Depth-Anything-V2 (LibTorch) or the built-in heuristic.
#include <iostream>
#include <sstream>

#include "common/cli.hpp"
#include "depth/dav2_estimator.hpp"
#include "depth/model_locator.hpp"
#include "depth/random_checkpoint.hpp"
#include "depthmap/depth_stage.hpp"
#include "depthmap/heuristic_depth.hpp"

namespace {
std::string shortest(double value) {  // 0.05, not to_string's 0.050000
  std::ostringstream out;
  out << value;
  return out.str();
}
}  // namespace

int main(int argc, char** argv) {
  using namespace s3d;
  const depthmap::DepthStageOptions stage_defaults;
  cxxopts::Options options("s3d-depth", "Estimate a depth map per frame (Depth-Anything-V2 or a built-in heuristic).");
  options.add_options()
    ("frames", "Input frame directory (required)", cxxopts::value<std::string>())
    ("out", "Output depth frame directory, created if missing (required); with --write-random-checkpoint "
            "the .pth file to write", cxxopts::value<std::string>())
    ("model", "PATH to a Depth-Anything-V2 .pth | vits | vitb | vitl | vitg | heuristic. Short names are "
              "models/depth_anything_v2_<name>.pth, searched in $S3D_MODELS, then <s3d source tree>/models, "
              "then ./models. Default: the first of vits, vitb, vitl, vitg found, else heuristic",
     cxxopts::value<std::string>())
    ("device", "auto (CUDA if available) | cpu | cuda", cxxopts::value<std::string>()->default_value("auto"))
    ("batch", "Frames per network call, 1..256 (equal-size frames are batched)",
     cxxopts::value<int>()->default_value(std::to_string(stage_defaults.batch)))
    ("precision", "fp32 | fp16 | bf16 (fp16/bf16: CUDA autocast; the CPU runs fp32 only)",
     cxxopts::value<std::string>()->default_value("fp32"))
    ("normalize", "frame (per-frame min-max) | ema (moving range, reset at scene cuts) | global (over the range)",
     cxxopts::value<std::string>()->default_value(depthmap::normalize_name(stage_defaults.normalize)))
    ("ema-alpha", "ema: how fast the range shrinks per frame, (0, 1]",
     cxxopts::value<double>()->default_value(shortest(stage_defaults.ema_alpha)))
    ("scene-cut", "ema: histogram distance to the previous frame that counts as a scene cut, (0, 1]; 1 = never",
     cxxopts::value<double>()->default_value(shortest(stage_defaults.scene_cut_threshold)))
    ("input-size", "Depth-Anything-V2 network input: short side in pixels (rounded to a multiple of 14), 14..4088",
     cxxopts::value<int>()->default_value(std::to_string(depth::kDefaultInputSize)))
    ("write-random-checkpoint", "Instead of estimating: write a random-weight checkpoint of this encoder "
                                "(vits | vitb | vitl | vitg, official key layout and file format) to --out",
     cxxopts::value<std::string>())
    ("seed", "Random seed for --write-random-checkpoint", cxxopts::value<uint64_t>()->default_value("0"));

  return cli::run(argc, argv, options, [&](const cxxopts::ParseResult& args) {
    const auto common = cli::read_common_options(args);
    if (args.count("write-random-checkpoint")) {
      cli::require(args, "out");
      const auto encoder = args["write-random-checkpoint"].as<std::string>();
      depth::official_config(encoder);  // UsageError for an unknown name, before any work
      const auto start = std::chrono::steady_clock::now();
      depth::write_random_checkpoint(encoder, args["out"].as<std::string>(), args["seed"].as<uint64_t>());
      if (!common.quiet)
        std::cerr << "s3d-depth: wrote random " << encoder << " checkpoint " << args["out"].as<std::string>() << " in "
                  << std::to_string(seconds_since(start)).substr(0, 5) << " s\n";
      return cli::kOk;
    }

    for (const char* name : {"frames", "out"}) cli::require(args, name);
    depthmap::DepthStageOptions stage;
    stage.frames_dir = args["frames"].as<std::string>();
    stage.out_dir = args["out"].as<std::string>();
    stage.range = common.range;
    stage.force = common.force;
    stage.threads = common.threads;
    stage.batch = args["batch"].as<int>();
    stage.normalize = depthmap::parse_normalize(args["normalize"].as<std::string>());
    stage.ema_alpha = args["ema-alpha"].as<double>();
    stage.scene_cut_threshold = args["scene-cut"].as<double>();
    stage.check();

    depth::Dav2Options dav2;
    dav2.device = depth::parse_device(args["device"].as<std::string>());
    dav2.precision = depth::parse_precision(args["precision"].as<std::string>());
    dav2.input_size = args["input-size"].as<int>();
    dav2.threads = common.threads;

    const auto choice = depth::resolve_model(args.count("model") ? std::optional(args["model"].as<std::string>()) : std::nullopt);
    std::unique_ptr<depthmap::DepthEstimator> estimator;
    if (choice.heuristic) {
      if (choice.fallback && !common.quiet)
        std::cerr << "s3d-depth: no Depth-Anything-V2 checkpoint found; using the built-in heuristic. Real depth "
                     "quality needs a DA-V2 checkpoint (see models/README.md).\n";
      estimator = std::make_unique<depthmap::HeuristicDepth>();
    } else {
      dav2.checkpoint = choice.checkpoint;
      // Checks options now; the network loads only once frames are known to need it.
      estimator = std::make_unique<depth::Dav2Estimator>(dav2);
    }

    StderrProgress progress("s3d-depth", common.quiet);
    stage.progress = progress.callback();
    const auto start = std::chrono::steady_clock::now();
    const auto result = depthmap::run_depth_stage(stage, *estimator);
    const double secs = seconds_since(start);
    std::string summary = std::to_string(result.written) + " depth frames written (" + estimator->name() + ", " +
                          depthmap::normalize_name(stage.normalize) + "), " + std::to_string(result.skipped) +
                          " already present";
    if (result.scene_cuts) summary += ", " + std::to_string(result.scene_cuts) + " scene cuts";
    summary += ", " + std::to_string(secs).substr(0, 5) + " s";
    if (result.written) summary += " (" + std::to_string(secs / result.written).substr(0, 5) + " s/frame)";
    progress.finish(summary);
    return cli::kOk;
  });
}
