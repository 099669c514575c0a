// The five tools' command lines, parsed in-process: arguments land in the library's option
// structs, untouched options keep the structs' defaults, and bad command lines are usage
// errors that name the option (with its range). Each tool is also run once as a binary
// elsewhere (test_pack, test_parallax, test_depth_tool, test_media_*).
#include <functional>
#include <sstream>

#include "cli/command_line.hpp"
#include "cli/list_option.hpp"
#include "s3d-depth/depth_command.hpp"
#include "s3d-encode/encode_command.hpp"
#include "s3d-extract/extract_command.hpp"
#include "s3d-pack/pack_command.hpp"
#include "s3d-parallax/parallax_command.hpp"

// With LibTorch, depth_command.hpp brings a glog-style CHECK macro that would shadow Catch's:
// Catch comes last.
#undef CHECK
#include <catch2/catch.hpp>

using namespace s3d;
using namespace s3d::tools;
namespace fs = std::filesystem;

namespace {

// The message of the UsageError `f` throws.
template <class F>
std::string usage_error(F&& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  FAIL("no UsageError");
  return {};
}

}  // namespace

TEST_CASE("s3d-pack: arguments land in PackOptions, defaults stay the struct's", "[unit]") {
  std::ostringstream out;
  const auto c = parse_pack_command({"--left", "l", "--right", "r", "--out", "o"}, out);
  REQUIRE(c);
  const pack::PackOptions defaults;
  CHECK(c->options.left_dir == "l");
  CHECK(c->options.stereo.layout == defaults.stereo.layout);
  CHECK(c->options.stereo.order == defaults.stereo.order);
  CHECK(c->options.jpeg_quality == defaults.jpeg_quality);
  CHECK(c->options.image_format == defaults.image_format);
  CHECK(c->options.range.is_all());
  CHECK_FALSE(c->quiet);

  const auto d = parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "--format", "fou", "--order",
                                     "right-first", "--pad", "1920x1080", "--quality", "80", "--image-format", "png",
                                     "--range", "5:9", "--force", "--threads", "3", "--quiet"},
                                    out);
  REQUIRE(d);
  CHECK(d->options.stereo.layout == stereo::Layout::kFullOverUnder);
  CHECK(d->options.stereo.order == stereo::EyeOrder::kRightFirst);
  CHECK(d->options.pad == cv::Size(1920, 1080));
  CHECK(d->options.jpeg_quality == 80);
  CHECK(d->options.image_format == "png");
  CHECK(d->options.range.start == 5);
  CHECK(d->options.range.end == 9);
  CHECK(d->options.force);
  CHECK(d->options.threads == 3);
  CHECK(d->quiet);

  CHECK(usage_error([&] { parse_pack_command({"--left", "l", "--right", "r"}, out); }) ==
        "missing required option --out (see --help)");
  CHECK(usage_error([&] { parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "--quality", "500"}, out); }) ==
        "--quality: expected 1..100, got 500");
  CHECK_THAT(usage_error([&] { parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "--quality", "nan"}, out); }),
             Catch::StartsWith("--quality: expected an integer, got 'nan'"));
  CHECK_THAT(usage_error([&] { parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "--pad", "99999x9"}, out); }),
             Catch::StartsWith("--pad: expected WIDTHxHEIGHT, each 1..16384"));
  CHECK_THAT(usage_error([&] { parse_pack_command({"--left", "l", "--bogus"}, out); }), Catch::Contains("bogus"));
  CHECK_THAT(usage_error([&] { parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "stray"}, out); }),
             Catch::Contains("unexpected argument 'stray'"));
}

TEST_CASE("help shows every option with its default and range, and version the version", "[unit]") {
  std::ostringstream help;
  CHECK_FALSE(parse_pack_command({"--help"}, help));
  CHECK_THAT(help.str(), Catch::Contains("--quality") && Catch::Contains("(default: 95)") &&
                             Catch::Contains("[1..100]") && Catch::Contains("(default: hsbs)") &&
                             Catch::Contains("(default: left-first)") && Catch::Contains("(required)") &&
                             Catch::Contains("Example:"));
  std::ostringstream version;
  CHECK_FALSE(parse_pack_command({"--version"}, version));
  CHECK(version.str() == std::string("s3d-pack ") + S3D_VERSION + "\n");
}

TEST_CASE("s3d-parallax: geometry options land in the nested synthesis and shaping structs", "[unit]") {
  std::ostringstream out;
  const auto c = parse_parallax_command({"--frames", "f", "--depth", "d", "--out", "o", "--parallax", "7.5",
                                         "--convergence", "0.25", "--method", "remap", "--synthesize", "right",
                                         "--interpolation", "cubic", "--edge-dilation", "3", "--depth-blur", "1.5"},
                                        out);
  REQUIRE(c);
  CHECK(c->options.synthesis.parallax == 7.5f);
  CHECK(c->options.synthesis.convergence == 0.25f);
  const auto defaults = parse_parallax_command({"--frames", "f", "--depth", "d", "--out", "o"}, out);
  REQUIRE(defaults);
  CHECK_FALSE(defaults->options.synthesis.convergence);  // auto
  const auto automatic = parse_parallax_command({"--frames", "f", "--depth", "d", "--out", "o", "--convergence", "auto"}, out);
  REQUIRE(automatic);
  CHECK_FALSE(automatic->options.synthesis.convergence);
  CHECK(c->options.synthesis.method == parallax::Method::kRemap);
  CHECK(c->options.synthesis.synthesize == parallax::Eyes::kRight);
  CHECK(c->options.synthesis.interpolation == 2 /* cv::INTER_CUBIC */);
  CHECK(c->options.shaping.edge_dilation == 3);
  CHECK(c->options.shaping.blur_sigma == 1.5f);
  CHECK(c->options.png_compression == parallax::ParallaxOptions().png_compression);
  // --benchmark needs no --out; otherwise it is required.
  CHECK(parse_parallax_command({"--frames", "f", "--depth", "d", "--benchmark", "3"}, out)->options.benchmark == 3);
  CHECK(usage_error([&] { parse_parallax_command({"--frames", "f", "--depth", "d"}, out); }) ==
        "missing required option --out (see --help)");
  for (const auto& [option, value, message] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"--parallax", "nan", "--parallax: expected a finite number, got 'nan'"},
           {"--parallax", "inf", "--parallax: expected a finite number, got 'inf'"},
           {"--parallax", "", "--parallax: expected a number, got ''"},
           {"--parallax", "1e999", "--parallax: expected a number, got '1e999' (out of range)"},
           {"--parallax", "2000", "--parallax: expected 0..1000, got 2000"},
           {"--convergence", "-0.5", "--convergence: expected auto or 0..1, got -0.5"},
           {"--convergence", "far", "--convergence: expected a number, got 'far'"},
           {"--method", "warp", "--method: expected forward, remap or shift, got 'warp'"},
           {"--png-compression", "10", "--png-compression: expected 0..9, got 10"},
       }) {
    INFO(option << " " << value);
    CHECK(usage_error([&] { parse_parallax_command({"--frames", "f", "--depth", "d", "--out", "o", option, value}, out); }) ==
          message);
  }
}

TEST_CASE("s3d-extract: the input is positional, --probe excludes --out", "[unit]") {
  std::ostringstream out;
  const auto c = parse_extract_command({"film name.mkv", "--out", "frames", "--scale", "640:-1", "--fps", "24000/1001",
                                        "--first-index", "1000", "--range", "1000:2000"},
                                       out);
  REQUIRE(c);
  CHECK(c->options.input == "film name.mkv");
  CHECK(c->options.scale.width == 640);
  CHECK(c->options.scale.height == -1);
  CHECK(c->options.fps->str() == "24000/1001");
  CHECK(c->options.first_index == 1000);
  CHECK_FALSE(c->probe);
  const auto p = parse_extract_command({"--probe", "film.mkv", "--probe-format", "make"}, out);
  REQUIRE(p);
  CHECK(p->probe);
  CHECK(p->probe_format == "make");
  CHECK_THAT(usage_error([&] { parse_extract_command({"--probe", "film.mkv", "--out", "x"}, out); }),
             Catch::Contains("--probe") && Catch::Contains("--out"));
  CHECK_THAT(usage_error([&] { parse_extract_command({"film.mkv", "--out", "x", "--fps", "5000"}, out); }),
             Catch::StartsWith("--fps: expected a rate") && Catch::Contains("at most 1000"));
  CHECK_THAT(usage_error([&] { parse_extract_command({"film.mkv", "--out", "x", "--first-index", "10", "--range", "0:5"}, out); }),
             Catch::Contains("before --first-index 10"));
  CHECK(usage_error([&] { parse_extract_command({"--out", "x"}, out); }) == "missing required option --input (see --help)");
}

TEST_CASE("s3d-encode: --segments takes names with commas and spaces, and the modes keep their options apart", "[unit]") {
  const auto taken = cli::take_list_option({"--segments", "a,b.mkv", "c d.mkv", "--out", "f.mkv", "--segments=e.mkv"}, "segments");
  CHECK(taken.present);
  CHECK((taken.values == std::vector<std::string>{"a,b.mkv", "c d.mkv", "e.mkv"}));
  CHECK((taken.rest == std::vector<std::string>{"--segments", "--out", "f.mkv"}));

  std::ostringstream out;
  const auto join = parse_encode_command({"--segments", "s 1.mkv", "s,2.mkv", "--source", "film.mkv", "--out", "x.mkv",
                                          "--layout", "hou", "--order", "right-first", "--suffix"},
                                         out);
  REQUIRE(join);
  CHECK(join->join);
  CHECK((join->joining.segments == std::vector<fs::path>{"s 1.mkv", "s,2.mkv"}));
  CHECK(join->joining.stereo.layout == stereo::Layout::kHalfOverUnder);
  CHECK(join->joining.stereo.order == stereo::EyeOrder::kRightFirst);
  CHECK(media::final_output_path(join->joining) == "x_BT.mkv");

  const auto seg = parse_encode_command({"--frames", "p", "--fps", "30000/1001", "--out", "s.mkv", "--crf", "20"}, out);
  REQUIRE(seg);
  CHECK_FALSE(seg->join);
  CHECK(seg->segment.fps.str() == "30000/1001");
  CHECK(seg->segment.crf == 20);
  CHECK(seg->segment.preset == media::SegmentOptions().preset);
  CHECK(usage_error([&] { parse_encode_command({"--frames", "p", "--out", "s.mkv"}, out); }) ==
        "missing required option --fps (see --help)");
  CHECK_THAT(usage_error([&] { parse_encode_command({"--frames", "p", "--fps", "25", "--out", "s.mkv", "--crf", "99"}, out); }),
             Catch::StartsWith("--crf: expected 0..51"));
  CHECK_THAT(usage_error([&] { parse_encode_command({"--segments", "a.mkv", "--source", "f", "--out", "f.mkv", "--frames", "p"}, out); }),
             Catch::Contains("frames"));  // a segment-mode option in join mode
  std::ostringstream help;
  CHECK_FALSE(parse_encode_command({"--help"}, help));
  CHECK_THAT(help.str(), Catch::Contains("Segment mode") && Catch::Contains("Join mode") && Catch::Contains("--order"));
}

TEST_CASE("s3d-depth: stage, model and network options, and --write-random-checkpoint needs only --out", "[unit]") {
  std::ostringstream out;
  const auto c = parse_depth_command({"--frames", "f", "--out", "d", "--model", "heuristic", "--normalize", "global",
                                      "--batch", "4", "--window", "24", "--threads", "2"},
                                     out);
  REQUIRE(c);
  CHECK(c->model.model == "heuristic");
  CHECK(c->stage.normalize == depth_stage::Normalize::kGlobal);
  CHECK(c->stage.batch == 4);
  CHECK(c->stage.window == 24);
  CHECK(c->stage.scene_cut_threshold == depth_stage::DepthStageOptions().scene_cut_threshold);
  CHECK(usage_error([&] { parse_depth_command({"--frames", "f", "--out", "d", "--window", "0"}, out); }) ==
        "--window: expected 1..1000, got 0");
  CHECK_THAT(usage_error([&] { parse_depth_command({"--frames", "f", "--out", "f"}, out); }), Catch::Contains("must differ"));
#if S3D_HAVE_DAV2
  const auto g = parse_depth_command({"--frames", "f", "--out", "d", "--device", "cpu", "--input-size", "252"}, out);
  REQUIRE(g);
  CHECK(g->dav2.device == dav2::Device::kCpu);
  CHECK(g->dav2.input_size == 252);
  CHECK(g->dav2.threads == g->stage.threads);
  CHECK_THAT(usage_error([&] { parse_depth_command({"--frames", "f", "--out", "d", "--input-size", "5000"}, out); }),
             Catch::StartsWith("--input-size: expected 14..4088"));
  const auto r = parse_depth_command({"--write-random-checkpoint", "vitb", "--out", "b.pth", "--seed", "7"}, out);
  REQUIRE(r);
  CHECK(r->random.encoder == "vitb");
  CHECK(r->random.seed == 7);
  CHECK_THAT(usage_error([&] { parse_depth_command({"--write-random-checkpoint", "vitx", "--out", "x.pth"}, out); }),
             Catch::Contains("vitx"));
#else
  CHECK_THAT(usage_error([&] { parse_depth_command({"--frames", "f", "--out", "d", "--device", "cpu"}, out); }),
             Catch::Contains("device"));
#endif
  std::ostringstream version;
  CHECK_FALSE(parse_depth_command({"--version"}, version));
  CHECK_THAT(version.str(), Catch::Contains(depth_build_note()));
}

TEST_CASE("every tool's --help ends with exactly one example command", "[unit]") {
  using Parse = std::function<bool(const std::vector<std::string>&, std::ostream&)>;
  const std::vector<std::pair<std::string, Parse>> tools = {
      {"s3d-extract", [](const auto& a, auto& o) { return bool(parse_extract_command(a, o)); }},
      {"s3d-depth", [](const auto& a, auto& o) { return bool(parse_depth_command(a, o)); }},
      {"s3d-parallax", [](const auto& a, auto& o) { return bool(parse_parallax_command(a, o)); }},
      {"s3d-pack", [](const auto& a, auto& o) { return bool(parse_pack_command(a, o)); }},
      {"s3d-encode", [](const auto& a, auto& o) { return bool(parse_encode_command(a, o)); }},
  };
  for (const auto& [tool, parse] : tools) {
    INFO(tool);
    std::ostringstream help;
    CHECK_FALSE(parse({"--help"}, help));
    const std::string text = help.str();
    const auto at = text.find("\nExample:\n  " + tool + " ");
    REQUIRE(at != std::string::npos);
    CHECK(text.find("Example") == text.rfind("Example"));  // one, and no "Examples:"
    // The example is the last line: one command, no second line, no pipe into another tool.
    const std::string example = text.substr(at + std::string("\nExample:\n  ").size());
    REQUIRE(!example.empty());
    CHECK(example.back() == '\n');
    CHECK(example.find('\n') == example.size() - 1);
    CHECK(example.find('|') == std::string::npos);
  }
}

TEST_CASE("the VR and depth formats: options land in the structs, impossible combinations are usage errors", "[unit]") {
  std::ostringstream out;
  const auto vr = parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "--format", "vr180", "--vr-fov",
                                      "100", "--vr-size", "2048"},
                                     out);
  REQUIRE(vr);
  CHECK(vr->options.stereo.layout == stereo::Layout::kVr180);
  CHECK(vr->options.vr.fov == 100);
  CHECK(vr->options.vr.eye_size == 2048);
  CHECK(parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "--format", "cross-eyed"}, out)
            ->options.stereo.layout == stereo::Layout::kCrossEyed);
  CHECK(usage_error([&] { parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "--vr-fov", "200"}, out); }) ==
        "--vr-fov: expected 10..170, got 200");
  CHECK(usage_error([&] {
          parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "--format", "cross-eyed", "--order",
                              "right-first"},
                             out);
        }).rfind("--order right-first: --format cross-eyed has a fixed eye order", 0) == 0);
  CHECK_THAT(usage_error([&] { parse_pack_command({"--left", "l", "--right", "r", "--out", "o", "--format", "rgbd"}, out); }),
             Catch::StartsWith("--format rgbd: colour + depth is made where the depth is: s3d-parallax"));

  const auto rgbd = parse_parallax_command({"--frames", "-", "--depth", "d", "--out", "-", "--pack", "half-rgbd"}, out);
  REQUIRE(rgbd);
  CHECK(rgbd->packing.stereo.layout == stereo::Layout::kHalfRgbd);
  const auto sphere = parse_parallax_command({"--frames", "-", "--depth", "d", "--out", "-", "--pack", "vr180",
                                              "--vr-fov", "75"},
                                             out);
  REQUIRE(sphere);
  CHECK(sphere->packing.vr.fov == 75);
  CHECK(usage_error([&] {
          parse_parallax_command({"--frames", "-", "--depth", "d", "--out", "-", "--pack", "vr180", "--vr-size", "9000"},
                                 out);
        }) == "--vr-size: expected 0..8192, got 9000");
  CHECK_THAT(usage_error([&] {
               parse_parallax_command({"--frames", "-", "--depth", "d", "--out", "-", "--pack", "vr180", "--pad", "64x64"},
                                      out);
             }),
             Catch::StartsWith("--pad: --pack vr180 takes no canvas"));
  const auto join = parse_encode_command({"--segments", "a.mkv", "--source", "f.mkv", "--out", "o.mkv", "--layout",
                                          "vr180"},
                                         out);
  REQUIRE(join);
  CHECK(join->joining.stereo.layout == stereo::Layout::kVr180);
}
