// s3d-extract: a video file -> a frame store (or, with --probe, its description as JSON).
#include <iostream>

#include "common/cli.hpp"
#include "common/errors.hpp"
#include "media/extract_frames.hpp"

int main(int argc, char** argv) {
  using namespace s3d;
  cxxopts::Options options("s3d-extract",
                           "Extract the frames of a video into a frame store (000000.png, ...), frame-exact for any "
                           "--range at a cost proportional to the range's length; or describe it with --probe.\n"
                           "Usage: s3d-extract INPUT --out DIR [options]   |   s3d-extract --probe INPUT");
  options.positional_help("INPUT");
  options.add_options()
    ("input", "Source video file (positional)", cxxopts::value<std::string>())
    ("probe", "Print the input's frame count, frame rate (rational), size, pixel format, duration and its "
              "audio/subtitle/attachment streams as JSON on stdout, then exit")
    ("out", "Output frame directory, created if missing (required unless --probe)", cxxopts::value<std::string>())
    ("scale", "Output size W:H in pixels; -1 for one of them keeps the aspect ratio (rounded to even) "
              "(default: source size)", cxxopts::value<std::string>())
    ("fps", "Frame grid rate, e.g. 24000/1001 or 25 (default: the probed rate; a variable-rate source is "
            "sampled at its average rate, frames duplicated or dropped)", cxxopts::value<std::string>())
    ("hwaccel", "Decoder acceleration: none | auto | cuda (ffmpeg -hwaccel)",
     cxxopts::value<std::string>()->default_value("none"))
    ("image-format", "Frame file format: png | jpg", cxxopts::value<std::string>()->default_value("png"))
    ("png-compression", "PNG zlib level 0..9 (1 = fast; frames are intermediate)",
     cxxopts::value<int>()->default_value("1"))
    ("quality", "JPEG quality 1..100", cxxopts::value<int>()->default_value("95"));
  options.parse_positional({"input"});

  return cli::run(argc, argv, options, [](const cxxopts::ParseResult& args) {
    const auto common = cli::read_common_options(args);
    media::ExtractOptions opt;
    if (!args.count("input")) throw UsageError("missing the input video file (see --help)");
    opt.input = args["input"].as<std::string>();
    if (args.count("probe")) {
      std::cout << media::probe_json(media::probe_video(opt.input)) << std::flush;
      return cli::kOk;
    }
    cli::require(args, "out");
    opt.out_dir = args["out"].as<std::string>();
    if (args.count("scale")) media::parse_scale(args["scale"].as<std::string>(), opt.scale_width, opt.scale_height);
    if (args.count("fps")) {
      opt.fps = media::parse_rational(args["fps"].as<std::string>());
      if (!opt.fps) throw UsageError("--fps: expected a positive rate such as 24000/1001 or 25, got '" +
                                     args["fps"].as<std::string>() + "'");
    }
    opt.hwaccel = args["hwaccel"].as<std::string>();
    opt.image_format = args["image-format"].as<std::string>();
    opt.png_compression = args["png-compression"].as<int>();
    opt.jpeg_quality = args["quality"].as<int>();
    opt.range = common.range;
    opt.force = common.force;
    opt.threads = common.threads;
    opt.check();

    StderrProgress progress("s3d-extract", common.quiet);
    opt.progress = progress.callback();
    const auto start = std::chrono::steady_clock::now();
    const auto result = media::extract_frames(opt);
    const double secs = seconds_since(start);
    progress.finish(frame_summary(result.written, "extracted", result.skipped, secs));
    return cli::kOk;
  });
}
