// s3d-parallax: frames + depth maps -> left/right eye frames (stereo view synthesis).
#include <iostream>

#include "common/cli.hpp"
#include "common/errors.hpp"
#include "parallax/parallax_frames.hpp"

int main(int argc, char** argv) {
  using namespace s3d;
  using namespace s3d::parallax;
  cxxopts::Options options("s3d-parallax", "Synthesize left/right eye views from frames and their depth maps.");
  options.add_options()
    ("frames", "Source frame directory, 8-bit PNG/JPG (required)", cxxopts::value<std::string>())
    ("depth", "Depth map directory, one 8/16-bit grayscale image per frame index, 0 = farthest, "
              "max = nearest; other sizes are resized (required)", cxxopts::value<std::string>())
    ("out", "Output directory; eyes go to OUT/left and OUT/right (required)", cxxopts::value<std::string>())
    ("method", "forward (z-ordered forward warp, background-side hole filling) | remap (the article's "
               "method 1) | shift (its method 2: whole-pixel shift + inpainting)",
     cxxopts::value<std::string>()->default_value("forward"))
    ("parallax", "Per-eye shift in px at the nearest depth: s = PX * (d - C); eyes are 2s apart",
     cxxopts::value<float>()->default_value("15"))
    ("convergence", "Depth 0..1 that stays on the screen plane (0 = farthest: everything pops out)",
     cxxopts::value<float>()->default_value("0"))
    ("synthesize", "both | left | right; a single synthesized eye moves by the full 2s, the other eye "
                   "is the untouched frame (point s3d-pack at --frames for it)",
     cxxopts::value<std::string>()->default_value("both"))
    ("interpolation", "remap only: nearest | linear | cubic | lanczos4", cxxopts::value<std::string>()->default_value("linear"))
    ("inpaint-radius", "shift only: inpainting radius in px (1..50)", cxxopts::value<int>()->default_value("2"))
    ("edge-dilation", "Grow near regions of the depth map by N px before warping (keeps foreground "
                      "edges whole with estimated depth; 2-3 is typical), 0..64", cxxopts::value<int>()->default_value("0"))
    ("depth-blur", "Gaussian blur sigma in px applied to the depth map after dilation, 0 = off",
     cxxopts::value<float>()->default_value("0"))
    ("png-compression", "Compression of the eye PNGs, 0..9: 1 = a fast literal-only encoder (they are "
                        "intermediate files); 0, 2..9 = zlib at that level",
     cxxopts::value<int>()->default_value("1"))
    ("benchmark", "Write nothing: time the in-process work (depth preparation + requested eyes) on the "
                  "first frame in range N times, print 'ms_per_frame MEDIAN min MIN' to stdout",
     cxxopts::value<int>());

  return cli::run(argc, argv, options, [](const cxxopts::ParseResult& args) {
    const auto common = cli::read_common_options(args);
    ParallaxOptions opt;
    for (const char* name : {"frames", "depth"}) cli::require(args, name);
    const bool benchmark = args.count("benchmark") > 0;
    if (!benchmark) cli::require(args, "out");
    opt.frames_dir = args["frames"].as<std::string>();
    opt.depth_dir = args["depth"].as<std::string>();
    if (args.count("out")) opt.out_dir = args["out"].as<std::string>();
    opt.synthesis.method = parse_method(args["method"].as<std::string>());
    opt.synthesis.parallax = args["parallax"].as<float>();
    opt.synthesis.convergence = args["convergence"].as<float>();
    opt.synthesis.synthesize = parse_eyes(args["synthesize"].as<std::string>());
    opt.synthesis.interpolation = parse_interpolation(args["interpolation"].as<std::string>());
    opt.synthesis.inpaint_radius = args["inpaint-radius"].as<int>();
    opt.shaping.edge_dilation = args["edge-dilation"].as<int>();
    opt.shaping.blur_sigma = args["depth-blur"].as<float>();
    opt.png_compression = args["png-compression"].as<int>();
    opt.range = common.range;
    opt.force = common.force;
    opt.threads = common.threads;
    if (benchmark) {
      opt.check_inputs_and_parameters();
      const auto r = benchmark_frame(opt, args["benchmark"].as<int>());
      std::cout << "ms_per_frame " << r.median_ms << " min " << r.min_ms << " size " << r.size.width << "x"
                << r.size.height << " frame " << r.frame << " method " << method_name(opt.synthesis.method) << std::endl;
      return cli::kOk;
    }
    opt.check();
    StderrProgress progress("s3d-parallax", common.quiet);
    opt.progress = progress.callback();
    const auto start = std::chrono::steady_clock::now();
    const auto result = synthesize_frames(opt);
    const double secs = seconds_since(start);
    progress.finish(frame_summary(result.written, "synthesized (" + method_name(opt.synthesis.method) + ")",
                                  result.skipped, secs));
    return cli::kOk;
  });
}
