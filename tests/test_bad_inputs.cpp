// The bad-input catalogue: every tool and the Makefile, called the ways users get wrong.
// Each case checks the exit code (2 = usage, 1 = runtime), that the message names the option
// or file at fault, and that nothing was written or changed: the work folder holds exactly
// the same files with the same contents afterwards (inputs unchanged, nothing partial left).
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <map>
#include <opencv2/imgcodecs.hpp>

#include "core/frame_store.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using s3d::test::run_program;
using s3d::test::run_tool;
using s3d::test::TempDir;

namespace {

// Every file below `dir` with its content.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& p : s3d::test::files_below(dir)) {
    std::ifstream in(p, std::ios::binary);
    files[p.string()] = std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  return files;
}

void ffmpeg(std::vector<std::string> args) {
  args.insert(args.begin(), {"-v", "error", "-y"});
  const auto r = run_program("ffmpeg", args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// Valid inputs of every kind, for the cases to get one thing wrong each.
struct Fixture {
  TempDir dir{"s3d-bad"};
  fs::path operator/(const std::string& name) const { return dir / name; }

  Fixture() {
    for (const char* d : {"frames", "depth", "left", "right", "right2", "depth16", "packed_jpg", "nodepth"})
      fs::create_directories(dir / d);
    cv::Mat frame(24, 32, CV_8UC3), depth(24, 32, CV_16UC1);
    cv::randu(frame, 0, 255);
    cv::randu(depth, 0, 65535);
    for (int i = 0; i < 3; ++i) {
      for (const char* d : {"frames", "left", "right", "right2", "nodepth"})
        cv::imwrite(s3d::frame_path(dir / d, i, ".png").string(), frame);
      cv::imwrite(s3d::frame_path(dir / "depth", i, ".png").string(), depth);
      cv::imwrite(s3d::frame_path(dir / "depth16", i, ".png").string(), depth);
    }
    fs::remove(s3d::frame_path(dir / "right", 1, ".png"));                           // right/ lacks frame 1
    cv::imwrite(s3d::frame_path(dir / "right2", 2, ".jpg").string(), frame);          // right2/ stores frame 2 twice
    cv::imwrite(s3d::frame_path(dir / "packed_jpg", 0, ".jpg").string(), frame);      // a packed store of jpgs
    std::ofstream(s3d::frame_path(dir / "nodepth", 3, ".png")) << "not a png";         // an undecodable frame
    std::ofstream(dir / "notes.txt") << "not a video";
    ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=64x48:r=25:d=1", "-f", "lavfi", "-i", "sine=d=1", "-c:v", "libx264",
            "-c:a", "aac", "-shortest", (dir / "clip.mkv").string()});
    const auto frames = run_tool("s3d-extract", {(dir / "clip.mkv").string(), "--out", (dir / "clipframes").string(),
                                                 "--quiet"});
    REQUIRE(frames.exit_code == 0);
    const auto seg = run_tool("s3d-encode", {"--frames", (dir / "clipframes").string(), "--fps", "25", "--out",
                                             (dir / "seg.mkv").string(), "--codec", "libx264", "--preset", "ultrafast",
                                             "--quiet"});
    REQUIRE(seg.exit_code == 0);
    const auto part = run_tool("s3d-encode", {"--frames", (dir / "clipframes").string(), "--fps", "25", "--out",
                                              (dir / "part.mkv").string(), "--range", "0:5", "--codec", "libx264",
                                              "--preset", "ultrafast", "--quiet"});
    REQUIRE(part.exit_code == 0);
  }

  // "{frames}" -> the fixture's path of frames, etc.
  std::string expand(std::string arg) const {
    for (size_t open; (open = arg.find('{')) != std::string::npos;) {
      const size_t close = arg.find('}', open);
      arg.replace(open, close - open + 1, (dir / arg.substr(open + 1, close - open - 1)).string());
    }
    return arg;
  }
};

struct Case {
  std::string program;  // a tool name, or "make" for Makefile.pipeline
  std::vector<std::string> args;
  int exit_code;
  std::string message;  // what stderr must contain (after expanding {names})
};

void run_case(const Fixture& f, const Case& c) {
  std::vector<std::string> args;
  for (const auto& a : c.args) args.push_back(f.expand(a));
  if (c.program == "make")
    args.insert(args.begin(), {"-f", (s3d::test::source_dir() / "Makefile.pipeline").string(),
                               "BIN=" + s3d::test::bin_dir().string()});
  const auto before = snapshot(f.dir.path());
  const auto r = c.program == "make" ? run_program("make", args) : run_tool(c.program, args);
  INFO(c.program << " " << [&] {
    std::string s;
    for (const auto& a : args) s += "'" + a + "' ";
    return s;
  }());
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == c.exit_code);
  CHECK_THAT(r.err, Catch::Contains(f.expand(c.message)));
  CHECK(r.out.empty());  // stdout is for data: none on failure
  const auto after = snapshot(f.dir.path());
  CHECK(after.size() == before.size());  // nothing new, nothing removed
  CHECK((after == before));              // and every file as it was
}

}  // namespace

TEST_CASE("bad inputs to the five tools: exit code, message, nothing written", "[catalogue]") {
  static const Fixture f;  // once per process: Catch runs the test body again for each section
  const std::vector<Case> cases = {
      // s3d-extract
      {"s3d-extract", {}, 2, "missing required option --input"},
      {"s3d-extract", {"{nope.mkv}", "--out", "{x}"}, 1, "{nope.mkv}"},
      {"s3d-extract", {"{notes.txt}", "--out", "{x}"}, 1, "{notes.txt}"},
      {"s3d-extract", {"--probe", "{clip.mkv}", "--out", "{x}"}, 2, "--probe"},
      {"s3d-extract", {"{clip.mkv}", "--out", "{x}", "--scale", "0:10"}, 2, "--scale"},
      {"s3d-extract", {"{clip.mkv}", "--out", "{x}", "--fps", "nan"}, 2, "--fps"},
      {"s3d-extract", {"{clip.mkv}", "--out", "{x}", "--fps", "5000"}, 2, "at most 1000"},
      {"s3d-extract", {"{clip.mkv}", "--out", "{x}", "--range", "5"}, 2, "--range"},
      {"s3d-extract", {"{clip.mkv}", "--out", "{x}", "--range", "0:999"}, 1, "has about 25 frames"},
      {"s3d-extract", {"{clip.mkv}", "--out", "{x}", "--image-format", "gif"}, 2, "--image-format"},
      {"s3d-extract", {"{clip.mkv}", "--out", "{clip.mkv}"}, 2, "same file"},
      {"s3d-extract", {"{clip.mkv}", "--out", "{x}", "--first-index", "10", "--range", "0:5"}, 2, "--first-index"},
      {"s3d-extract", {"{clip.mkv}", "--out", "{x}", "--threads=-1"}, 2, "--threads"},
      // s3d-depth
      {"s3d-depth", {"--frames", "{frames}"}, 2, "missing required option --out"},
      {"s3d-depth", {"--frames", "{missing}", "--out", "{x}", "--model", "heuristic"}, 1, "{missing}"},
      {"s3d-depth", {"--frames", "{frames}", "--out", "{x}", "--batch", "0"}, 2, "--batch"},
      {"s3d-depth", {"--frames", "{frames}", "--out", "{x}", "--normalize", "minmax"}, 2, "--normalize"},
      {"s3d-depth", {"--frames", "{frames}", "--out", "{x}", "--window", "nan"}, 2, "--window"},
      {"s3d-depth", {"--frames", "{frames}", "--out", "{x}", "--scene-cut", "2"}, 2, "--scene-cut"},
      {"s3d-depth", {"--frames", "{frames}", "--out", "{frames}"}, 2, "must differ"},
      {"s3d-depth", {"--frames", "{frames}", "--out", "{x}", "--model", "{nope.pth}"}, 1, "{nope.pth}"},
      {"s3d-depth", {"--frames", "{frames}", "--out", "{x}", "--model", "heuristic", "--range", "0:10"}, 1,
       "7 missing"},
      {"s3d-depth", {"--frames", "{nodepth}", "--out", "{x}", "--model", "heuristic"}, 1, "000003.png"},
      // s3d-parallax
      {"s3d-parallax", {"--frames", "{frames}", "--out", "{x}"}, 2, "missing required option --depth"},
      {"s3d-parallax", {"--frames", "{frames}", "--depth", "{depth}", "--out", "{x}", "--parallax", "inf"}, 2,
       "--parallax"},
      {"s3d-parallax", {"--frames", "{frames}", "--depth", "{depth}", "--out", "{x}", "--convergence", "2"}, 2,
       "--convergence: expected auto or 0..1"},
      {"s3d-parallax", {"--frames", "{frames}", "--depth", "{depth}", "--out", "{x}", "--method", "warp"}, 2,
       "--method"},
      {"s3d-parallax", {"--frames", "{frames}", "--depth", "{depth}", "--out", "{x}", "--edge-dilation", "100"}, 2,
       "--edge-dilation"},
      {"s3d-parallax", {"--frames", "{frames}", "--depth", "{depth}", "--out", "-", "--pack", "vr180", "--pad", "64x64"},
       2, "takes no canvas"},
      {"s3d-parallax", {"--frames", "{frames}", "--depth", "{depth}", "--out", "{frames}"}, 2, "same file"},
      {"s3d-parallax", {"--frames", "{nodepth}", "--depth", "{depth}", "--out", "{x}"}, 1, "has no depth map"},
      {"s3d-parallax", {"--frames", "{frames}", "--depth", "{depth}", "--out", "{x}", "--range", "0:9"}, 1,
       "6 missing"},
      // s3d-pack
      {"s3d-pack", {"--left", "{left}", "--right", "{right2}"}, 2, "missing required option --out"},
      {"s3d-pack", {"--left", "{left}", "--right", "{right2}", "--out", "{x}", "--format", "sbs"}, 2, "--format"},
      {"s3d-pack", {"--left", "{left}", "--right", "{right2}", "--out", "{x}", "--pad", "99999x9"}, 2, "--pad"},
      {"s3d-pack", {"--left", "{left}", "--right", "{right2}", "--out", "{x}", "--format", "rgbd"}, 2,
       "s3d-parallax --depth DIR --out - --pack rgbd"},
      {"s3d-pack", {"--left", "{left}", "--right", "{right2}", "--out", "{x}", "--format", "vr180", "--vr-fov", "200"}, 2,
       "--vr-fov: expected 10..170"},
      {"s3d-pack", {"--left", "{left}", "--right", "{right2}", "--out", "{x}", "--format", "cross-eyed", "--order",
                    "right-first"}, 2, "fixed eye order"},
      {"s3d-pack", {"--left", "{left}", "--right", "{left}", "--out", "{x}", "--pad", "10x10"}, 1,
       "larger than --pad"},
      {"s3d-pack", {"--left", "{left}", "--right", "{right2}", "--out", "{x}", "--quality", "0"}, 2, "--quality"},
      {"s3d-pack", {"--left", "{left}", "--right", "{right2}", "--out", "{left}", "--force"}, 2, "same file"},
      {"s3d-pack", {"--left", "{left}", "--right", "{right}", "--out", "{x}"}, 1, "no right eye"},
      {"s3d-pack", {"--left", "{left}", "--right", "{right2}", "--out", "{x}"}, 1, "stored twice"},
      {"s3d-pack", {"--left", "{left}", "--right", "{left}", "--out", "{packed_jpg}", "--image-format", "png"}, 1,
       "would store it twice"},
      {"s3d-pack", {"--left", "{left}", "--right", "{left}", "--out", "{x}", "--range", "0:10"}, 1, "7 missing"},
      // s3d-encode, segment mode
      {"s3d-encode", {"--frames", "{frames}", "--out", "{s.mkv}"}, 2, "missing required option --fps"},
      {"s3d-encode", {"--frames", "{frames}", "--out", "{s.mkv}", "--fps", "0"}, 2, "--fps"},
      {"s3d-encode", {"--frames", "{frames}", "--out", "{s.mkv}", "--fps", "25", "--codec", "h264"}, 2, "--codec"},
      {"s3d-encode", {"--frames", "{frames}", "--out", "{s.mkv}", "--fps", "25", "--preset", "turbo"}, 2,
       "--preset"},
      {"s3d-encode", {"--frames", "{frames}", "--out", "{s.mkv}", "--fps", "25", "--bitrate", "fast"}, 2,
       "--bitrate"},
      {"s3d-encode", {"--frames", "{frames}", "--out", "{s.mkv}", "--fps", "25", "--crf", "20", "--bitrate", "2M"}, 2,
       "exclude each other"},
      {"s3d-encode", {"--frames", "{frames}", "--out", "{s.avi}", "--fps", "25"}, 2, ".avi"},
      {"s3d-encode", {"--frames", "{frames}", "--out", "{s.mkv}", "--fps", "25", "--range", "0:8"}, 1, "5 missing"},
      {"s3d-encode", {"--frames", "{depth16}", "--out", "{s.mkv}", "--fps", "25", "--codec", "libx264"}, 2, "ffv1"},
      // s3d-encode, join mode
      {"s3d-encode", {"--segments", "{seg.mkv}", "--source", "{clip.mkv}", "--out", "{clip.mkv}", "--force"}, 2,
       "same file"},
      {"s3d-encode", {"--segments", "{seg.mkv}", "--source", "{clip.mkv}", "--out", "{seg.mkv}", "--force"}, 2,
       "same file"},
      {"s3d-encode", {"--segments", "{none.mkv}", "--source", "{clip.mkv}", "--out", "{f.mkv}"}, 1, "{none.mkv}"},
      {"s3d-encode", {"--segments", "{seg.mkv}", "--source", "{clip.mkv}", "--out", "{f.mkv}", "--layout", "3d"}, 2,
       "--layout"},
      {"s3d-encode", {"--segments", "{seg.mkv}", "--source", "{clip.mkv}", "--out", "{f.mkv}", "--layout", "rgbd",
                      "--order", "right-first"}, 2, "fixed eye order"},
      {"s3d-encode", {"--segments", "{seg.mkv}", "--source", "{clip.mkv}", "--out", "{f.avi}"}, 2, ".avi"},
      {"s3d-encode", {"--segments", "{part.mkv}", "--source", "{clip.mkv}", "--out", "{f.mkv}"}, 1,
       "join every segment"},
      {"s3d-encode", {"--segments", "{seg.mkv}", "--out", "{f.mkv}"}, 2, "missing required option --source"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    DYNAMIC_SECTION("case " << i << ": " << cases[i].program << " -> " << cases[i].message) { run_case(f, cases[i]); }
  }
}

TEST_CASE("bad inputs to Makefile.pipeline: exit code, message, no film written, the source unchanged", "[catalogue]") {
  static const Fixture f;  // once per process: Catch runs the test body again for each section
  // Each case refuses before any work starts; WORK may not even be created.
  const std::vector<Case> cases = {
      {"make", {}, 2, "INPUT is not set"},
      {"make", {"INPUT={nope.mkv}", "WORK={w}"}, 2, "{nope.mkv}"},
      {"make", {"INPUT={clip.mkv}", "OUT={clip.mkv}", "WORK={w}"}, 2, "same file as INPUT"},
      {"make", {"INPUT={clip.mkv}", "OUT={o.mkv}", "WORK={w}", "CHUNK=abc"}, 2, "CHUNK 'abc'"},
      {"make", {"INPUT={clip.mkv}", "OUT={o.mkv}", "WORK={w}", "CHUNK=0"}, 2, "CHUNK '0'"},
      {"make", {"INPUT={clip.mkv}", "OUT={o.mkv}", "WORK={a b}"}, 2, "without spaces"},
      {"make", {"INPUT={cl$ip.mkv}", "OUT={o.mkv}", "WORK={w}"}, 2, "'$'"},
      {"make", {"INPUT={clip.mkv}", "OUT={o.mkv}", "BIN={nobin}"}, 2, "no s3d binaries"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    DYNAMIC_SECTION("case " << i << ": " << cases[i].message) { run_case(f, cases[i]); }
  }
}
