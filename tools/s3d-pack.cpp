// s3d-pack: left + right eye frame stores -> packed 3D frames (SBS, over-under, anaglyph).
#include "common/cli.hpp"
#include "pack/pack_frames.hpp"

int main(int argc, char** argv) {
  using namespace s3d;
  cxxopts::Options options("s3d-pack", "Pack left/right eye frames into 3D frames (side-by-side, over-under, anaglyph).");
  options.add_options()
    ("left", "Left-eye frame directory (required)", cxxopts::value<std::string>())
    ("right", "Right-eye frame directory (required)", cxxopts::value<std::string>())
    ("out", "Output frame directory, created if missing (required)", cxxopts::value<std::string>())
    ("format", "hsbs (half side-by-side, WxH) | fsbs (full, 2WxH) | hou (half over-under, WxH) | "
               "fou (full, Wx2H) | anaglyph (red-cyan, Dubois) | anaglyph-color (plain red-cyan)",
     cxxopts::value<std::string>()->default_value("hsbs"))
    ("order", "left-first | right-first (cross-eyed viewing; swaps anaglyph colours)",
     cxxopts::value<std::string>()->default_value("left-first"))
    ("pad", "Centre each eye on a black WxH canvas before packing (letterbox/pillarbox, never scaled; "
            "error if a frame is larger), e.g. 1920x1080", cxxopts::value<std::string>())
    ("image-format", "Output image format: jpg | png", cxxopts::value<std::string>()->default_value("jpg"))
    ("quality", "JPEG quality 1..100", cxxopts::value<int>()->default_value("95"));

  return cli::run(argc, argv, options, [](const cxxopts::ParseResult& args) {
    const auto common = cli::read_common_options(args);
    pack::PackOptions opt;
    for (const char* name : {"left", "right", "out"}) cli::require(args, name);
    opt.left_dir = args["left"].as<std::string>();
    opt.right_dir = args["right"].as<std::string>();
    opt.out_dir = args["out"].as<std::string>();
    opt.format = pack::parse_format(args["format"].as<std::string>());
    opt.order = pack::parse_order(args["order"].as<std::string>());
    if (args.count("pad")) opt.pad = pack::parse_size(args["pad"].as<std::string>(), "--pad");
    opt.image_format = args["image-format"].as<std::string>();
    opt.jpeg_quality = args["quality"].as<int>();
    opt.range = common.range;
    opt.force = common.force;
    opt.threads = common.threads;
    opt.check();

    StderrProgress progress("s3d-pack", common.quiet);
    opt.progress = progress.callback();
    const auto start = std::chrono::steady_clock::now();
    const auto result = pack::pack_frames(opt);
    const double secs = seconds_since(start);
    progress.finish(frame_summary(result.written, "packed (" + pack::format_name(opt.format) + ")", result.skipped, secs));
    return cli::kOk;
  });
}
