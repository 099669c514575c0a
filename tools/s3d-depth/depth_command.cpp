#include "s3d-depth/depth_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/command_line.hpp"
#include "depth_stage/estimator_benchmark.hpp"
#include "depth_stage/heuristic_depth.hpp"
#include "imageio/frame_stream.hpp"
#if S3D_HAVE_DAV2
#include <torch/cuda.h>
#include <torch/version.h>

#include "random_checkpoint/random_checkpoint.hpp"
#endif

namespace s3d::tools {

const OptionTable<RandomCheckpointOptions>& RandomCheckpointOptions::table() {
  static const auto table =
      OptionTable<RandomCheckpointOptions>()
          .text("write-random-checkpoint", &RandomCheckpointOptions::encoder,
                "Instead of estimating: write a random-weight checkpoint of this encoder (vits | vitb | vitl | vitg; "
                "official key layout and file format) to --out",
                Need::kOptional, "ENCODER")
          .also_check([](const RandomCheckpointOptions& o) {
            const auto& names = depth_stage::dav2_encoder_names();
            if (!o.encoder.empty() && std::find(names.begin(), names.end(), o.encoder) == names.end())
              throw UsageError("--write-random-checkpoint: expected vits, vitb, vitl or vitg, got '" + o.encoder + "'");
          })
          .number("seed", &RandomCheckpointOptions::seed, Bounds{0, 1.8e19}, "Random seed for --write-random-checkpoint");
  return table;
}

const OptionTable<BenchmarkOptions>& BenchmarkOptions::table() {
  static const auto table = OptionTable<BenchmarkOptions>().number(
      "benchmark", &BenchmarkOptions::batches, Bounds{0, 100000},
      "Instead of writing depth: time N batches of --batch copies of the range's first frame through the estimator "
      "alone (after 2 untimed ones); prints on stdout: model fps, s/batch, batch, frame size, model",
      "N");
  return table;
}

std::string depth_build_note() {
#if S3D_HAVE_DAV2
  // "CUDA" names a LibTorch built with it (Makefile.pipeline's SLURM_GPUS=auto reads this);
  // whether a GPU is visible here is said after it.
  const std::string cuda = !S3D_TORCH_HAS_CUDA            ? "CPU"
                           : torch::cuda::is_available() ? "CUDA, GPU available"
                                                         : "CUDA, no GPU visible: CPU";
  return std::string("(Depth-Anything-V2 on LibTorch ") + TORCH_VERSION + ", " + cuda + "; heuristic)";
#else
  return "(heuristic only: built without LibTorch, S3D_WITH_TORCH=OFF)";
#endif
}

std::optional<DepthCommand> parse_depth_command(const std::vector<std::string>& args, std::ostream& out) {
  DepthCommand command;
  cli::CommandLine line("s3d-depth",
                        "Estimate a depth map per frame (Depth-Anything-V2 or a built-in heuristic): 16-bit PNGs, 0 = "
                        "farthest, 65535 = nearest, each with a JSON sidecar.",
                        "s3d-depth --frames DIR --out DIR [--model vits|vitb|vitl|PATH|heuristic] [options]");
  line.bind(depth_stage::DepthStageOptions::table(), command.stage)
      .bind(depth_stage::ModelOptions::table(), command.model)
      .bind(media::VideoSourceOptions::table(), command.video, "Frames from a video")
      .option("Frames from a video", "tee",
              "- : also write every frame of the range to stdout as a frame stream, each once its depth is on disk "
              "(for s3d-parallax --frames -: the film is decoded once)",
              "-", [&command](std::string_view value) {
                if (value != "-") throw UsageError("--tee: expected - (stdout), got '" + std::string(value) + "'");
                command.tee = true;
              });
#if S3D_HAVE_DAV2
  line.bind(dav2::Dav2Options::table(), command.dav2, "Depth-Anything-V2")
      .bind(RandomCheckpointOptions::table(), command.random, "Random checkpoints");
#endif
  line.bind(BenchmarkOptions::table(), command.benchmark, "Benchmark");
  line.option("", "check", "Validate the options and the model (the checkpoint exists; this build can run it), "
               "touch nothing, and exit: 0 = the same command without --check would start", "",
               [&command](std::string_view) { command.check_only = true; })
      .version_note(depth_build_note())
      .epilog("Example:\n  s3d-depth --frames frames --out depth --model vits --normalize window");
  if (!line.parse(args, out)) return std::nullopt;
  command.quiet = line.quiet();
  RandomCheckpointOptions::table().check(command.random);
  if (!command.random.encoder.empty()) {
    if (command.stage.out_dir.empty()) throw UsageError("--write-random-checkpoint: missing --out FILE.pth (see --help)");
    return command;
  }
  const bool from_video = !command.video.video.empty();
  if (from_video == !command.stage.frames_dir.empty())
    throw UsageError("give the frames as --frames DIR or as --video FILE, one of them");
  if (command.video.fps && !from_video) throw UsageError("--fps needs --video");
  if (command.tee) command.stage.on_frame = [](const IndexedFrame&) {};  // (so that check() sees it)
  command.stage.check(/*writes=*/command.benchmark.batches == 0);  // --benchmark writes nothing: no --out
#if S3D_HAVE_DAV2
  command.dav2.threads = command.stage.threads;
  dav2::Dav2Options::table().check(command.dav2);
#endif
  return command;
}

namespace {

// The estimator --model names. Validates everything (the checkpoint exists, the device can
// run the precision) before the caller touches any frame; the network loads on first use.
std::unique_ptr<depth_stage::DepthEstimator> make_estimator(DepthCommand& command) {
  const auto choice = depth_stage::resolve_model(command.model.model);
  if (choice.heuristic) {
    if (choice.fallback && !command.quiet)
      std::cerr << "s3d-depth: no Depth-Anything-V2 checkpoint found; using the built-in heuristic. Real depth "
                   "quality needs a DA-V2 checkpoint (see models/README.md).\n";
    return std::make_unique<depth_stage::HeuristicDepth>();
  }
#if S3D_HAVE_DAV2
  command.dav2.checkpoint = choice.checkpoint;
  return std::make_unique<dav2::Dav2Estimator>(command.dav2);
#else
  throw UsageError("--model " + (command.model.model.empty() ? choice.checkpoint.string() : command.model.model) +
                   ": this s3d-depth was built without LibTorch (S3D_WITH_TORCH=OFF) and runs the heuristic only; "
                   "use --model heuristic, or build s3d with LibTorch for Depth-Anything-V2");
#endif
}

}  // namespace

int depth_main(const std::vector<std::string>& args) {
  return cli::run_main("s3d-depth", [&] {
    auto command = parse_depth_command(args, std::cout);
    if (!command) return cli::kOk;
    const auto start = std::chrono::steady_clock::now();
#if S3D_HAVE_DAV2
    if (!command->random.encoder.empty()) {
      dav2::write_random_checkpoint(command->random.encoder, command->stage.out_dir, command->random.seed);
      if (!command->quiet)
        std::cerr << "s3d-depth: wrote random " << command->random.encoder << " checkpoint "
                  << command->stage.out_dir.string() << " in " << std::to_string(seconds_since(start)).substr(0, 5)
                  << " s\n";
      return cli::kOk;
    }
#endif
    auto estimator = make_estimator(*command);
    if (command->check_only) return cli::kOk;
    auto& stage = command->stage;
    StderrProgress progress("s3d-depth", command->quiet);
    stage.progress = progress.callback();
    std::unique_ptr<FrameSource> frames = command->video.video.empty()
                                              ? open_frame_store(stage.frames_dir, stage.threads)
                                              : media::open_video(command->video, 0);
    if (command->benchmark.batches > 0) {
      const auto indices = frames->indices(stage.range);
      if (indices.empty()) throw Error(frames->name() + " holds no frame in --range " + stage.range.str());
      frames->start({indices.front()});
      IndexedFrame first;
      if (!frames->next(first)) throw Error("could not read " + frames->frame_name(indices.front()));
      const auto b = depth_stage::benchmark_estimator(*estimator, first.image, stage.batch, command->benchmark.batches);
      std::cout << "model_fps " << b.frames_per_second << " s_per_batch " << b.seconds_per_batch << " batch "
                << b.batch << " frame " << first.image.cols << "x" << first.image.rows << " model "
                << estimator->name() << "\n";
      return cli::kOk;
    }
    std::unique_ptr<FrameStreamWriter> tee;
    if (command->tee) {
      const auto indices = frames->indices(stage.range);
      if (indices.empty()) throw Error(frames->name() + " holds no frame in --range " + stage.range.str());
      tee = std::make_unique<FrameStreamWriter>(
          STDOUT_FILENO, FrameStreamHeader{frames->size_of(indices.front()), indices.front(), int64_t(indices.size())},
          "stdout");
      stage.on_frame = [&tee](const IndexedFrame& f) { tee->write(f.image); };
    }
    const auto result = depth_stage::run_depth_stage(stage, *estimator, *frames);
    const double secs = seconds_since(start);
    std::string summary = std::to_string(result.written) + " depth frames written (" + estimator->name() + ", " +
                          depth_stage::normalize_names().name(stage.normalize) + "), " +
                          std::to_string(result.skipped) + " already present";
    if (result.scene_cuts) summary += ", " + std::to_string(result.scene_cuts) + " scene cuts";
    summary += ", " + timing_text(result.written, secs);
    progress.finish(summary);
    return cli::kOk;
  });
}

}  // namespace s3d::tools
