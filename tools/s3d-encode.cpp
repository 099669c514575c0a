// s3d-encode: packed 3D frames -> video segments (segment mode), and segments + the source
// film -> the final 3D file with the source's sound, subtitles and chapters (join mode).
#include <cstdio>

#include "common/cli.hpp"
#include "common/errors.hpp"
#include "media/encode_segment.hpp"
#include "media/join_segments.hpp"
#include "media/list_option.hpp"

int main(int argc, char** argv) {
  using namespace s3d;
  // The segment list is taken out of argv first (its names may contain commas).
  const auto segments = media::take_list_option(argc, argv, "segments");
  std::vector<char*> args_rest;
  std::vector<std::string> words = segments.rest;
  for (auto& w : words) args_rest.push_back(w.data());

  cxxopts::Options options(
      "s3d-encode",
      "Encode packed 3D frames into a video segment, or join segments with the source's audio, subtitles and "
      "chapters into the final file.\n"
      "Segment mode: s3d-encode --frames DIR --fps R --out SEGMENT.mkv [--range A:B] [encoder options]\n"
      "Join mode:    s3d-encode --segments S1 S2 ... --source INPUT --out FILE.mkv|.mp4 --layout L [--suffix]");
  options.add_options("Segment mode")
    ("frames", "Packed frame directory to encode (required in segment mode)", cxxopts::value<std::string>())
    ("fps", "Frame rate, exactly the source's (e.g. 24000/1001; see s3d-extract --probe) (required)",
     cxxopts::value<std::string>())
    ("codec", "auto | libx264 | libx265 | h264_nvenc | hevc_nvenc (auto: h264_nvenc when a test encode works, "
              "else libx264)", cxxopts::value<std::string>()->default_value("auto"))
    ("crf", "Constant quality (lower = better); default per codec: libx264 18, libx265 20, NVENC cq 19",
     cxxopts::value<int>())
    ("bitrate", "Average bitrate instead of constant quality, e.g. 8M (excludes --crf; default: constant quality)", cxxopts::value<std::string>())
    ("preset", "Encoder preset (x264/x265: ultrafast..veryslow; NVENC: p1..p7 or slow/medium/fast)",
     cxxopts::value<std::string>()->default_value("medium"))
    ("pix-fmt", "yuv420p (8-bit) | yuv420p10le (10-bit). Odd frame sizes get one black column/row added "
                "(4:2:0 needs even sizes)", cxxopts::value<std::string>()->default_value("yuv420p"));
  options.add_options("Join mode")
    ("segments", "S1 S2 ...: the segments in play order (every word up to the next --option)")
    ("source", "The source film: all its audio, subtitle and attachment streams, chapters and metadata are "
               "copied unchanged (required in join mode)", cxxopts::value<std::string>())
    ("layout", "Frame packing (as given to s3d-pack), written into the container: "
               "hsbs | fsbs | hou | fou | anaglyph | anaglyph-color",
     cxxopts::value<std::string>()->default_value("hsbs"))
    ("suffix", "Append the 3D players' file name suffix to --out: _LR_3dh (hsbs), _LRF_Full_SBS (fsbs), _TB (hou), "
               "_TBF_fulltb (fou), none for anaglyph");
  options.add_options()
    ("out", "Segment mode: the segment (.mkv recommended, .mp4, .mov, .ts). Join mode: the final .mkv or .mp4. "
            "An existing file is kept (skipped) unless --force (required)", cxxopts::value<std::string>());

  return cli::run(static_cast<int>(args_rest.size()), args_rest.data(), options,
                  [&](const cxxopts::ParseResult& args) {
    const auto common = cli::read_common_options(args);
    cli::require(args, "out");
    const auto start = std::chrono::steady_clock::now();
    char summary[512];

    if (segments.present) {
      if (args.count("frames")) throw UsageError("--segments (join mode) and --frames (segment mode) exclude each other");
      media::JoinOptions opt;
      for (const auto& s : segments.values) opt.segments.emplace_back(s);
      cli::require(args, "source");
      opt.source = args["source"].as<std::string>();
      opt.out = args["out"].as<std::string>();
      opt.layout = media::parse_layout(args["layout"].as<std::string>());
      opt.suffix = args.count("suffix") > 0;
      opt.force = common.force;
      opt.check();
      StderrProgress progress("s3d-encode", common.quiet);
      opt.progress = progress.callback();
      const auto result = media::join_segments(opt);
      for (const auto& w : result.warnings)
        if (!common.quiet) std::fprintf(stderr, "s3d-encode: warning: %s\n", w.c_str());
      std::snprintf(summary, sizeof summary, "%s '%s' (%zu segments, %lld frames, %s), %.2f s",
                    result.skipped ? "already present:" : "wrote", result.output.c_str(), opt.segments.size(),
                    static_cast<long long>(result.frames), media::layout_name(opt.layout).c_str(), seconds_since(start));
      progress.finish(summary);
      return cli::kOk;
    }

    if (!args.count("frames")) throw UsageError("give --frames DIR (segment mode) or --segments S1 S2 ... (join mode)");
    media::SegmentOptions opt;
    opt.frames_dir = args["frames"].as<std::string>();
    opt.out = args["out"].as<std::string>();
    cli::require(args, "fps");
    const auto fps = media::parse_rational(args["fps"].as<std::string>());
    if (!fps) throw UsageError("--fps: expected a positive rate such as 24000/1001 or 25, got '" +
                               args["fps"].as<std::string>() + "'");
    opt.fps = *fps;
    opt.codec = args["codec"].as<std::string>();
    if (args.count("crf")) {
      opt.crf = args["crf"].as<int>();
      if (opt.crf < 0) throw UsageError("--crf: expected 0..51, got " + std::to_string(opt.crf));
    }
    if (args.count("bitrate")) opt.bitrate = args["bitrate"].as<std::string>();
    opt.preset = args["preset"].as<std::string>();
    opt.pix_fmt = args["pix-fmt"].as<std::string>();
    opt.range = common.range;
    opt.force = common.force;
    opt.threads = common.threads;
    opt.check();
    StderrProgress progress("s3d-encode", common.quiet);
    opt.progress = progress.callback();
    const auto result = media::encode_segment(opt);
    const double secs = seconds_since(start);
    if (result.skipped)
      std::snprintf(summary, sizeof summary, "segment '%s' already present, nothing to do", opt.out.c_str());
    else
      std::snprintf(summary, sizeof summary, "%lld frames encoded to '%s' (%s, %dx%d), %.2f s (%.1f fps)",
                    static_cast<long long>(result.frames), opt.out.c_str(), result.codec.c_str(),
                    result.coded_size.width, result.coded_size.height, secs, result.frames / std::max(secs, 1e-9));
    progress.finish(summary);
    return cli::kOk;
  });
}
