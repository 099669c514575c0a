// s3d-depth end to end without a network: the heuristic fallback (said once), --help and
// --version, usage errors; this test also runs against a build without LibTorch.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <opencv2/imgcodecs.hpp>

#include "support/skip.hpp"
#include "support/test_support.hpp"

using namespace s3d;
namespace fs = std::filesystem;
using s3d::test::run_tool;
using s3d::test::TempDir;

TEST_CASE("s3d-depth without a checkpoint falls back to the heuristic and says so once", "[e2e]") {
  TempDir dir, models("s3d-models");
  // Only the (empty) S3D_MODELS is searched first; skip if a checkpoint sits in the tree.
  setenv("S3D_MODELS", models.path().string().c_str(), 1);
  for (const auto& d : {test::source_dir() / "models", fs::path("models")})
    for (const char* e : {"vits", "vitb", "vitl", "vitg"})
      if (fs::exists(d / ("depth_anything_v2_" + std::string(e) + ".pth"))) {
        S3D_SKIP("a real checkpoint is installed in " << d << ": no fallback to test");
      }
  fs::create_directories(dir / "frames");
  cv::Mat frame(90, 160, CV_8UC3);
  cv::randu(frame, 0, 255);
  for (int i = 0; i < 3; ++i) cv::imwrite((dir / "frames" / ("00000" + std::to_string(i) + ".png")).string(), frame);
  const auto r = run_tool("s3d-depth", {"--frames", (dir / "frames").string(), "--out", (dir / "depth").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Said exactly once, however many frames.
  const auto first = r.err.find("models/README.md");
  CHECK(first != std::string::npos);
  CHECK(r.err.find("models/README.md", first + 1) == std::string::npos);
  const cv::Mat png = cv::imread((dir / "depth" / "000002.png").string(), cv::IMREAD_UNCHANGED);
  CHECK(png.type() == CV_16UC1);
  CHECK(png.size() == frame.size());
  const auto h = run_tool("s3d-depth", {"--frames", (dir / "frames").string(), "--out", (dir / "h").string(), "--model", "heuristic"});
  CHECK(h.exit_code == 0);
  CHECK_THAT(h.err, !Catch::Contains("models/README.md"));  // asked for explicitly: no hint
  CHECK(fs::exists(dir / "h" / "000000.png"));
}

TEST_CASE("s3d-depth --help and --version say what this build can run", "[e2e]") {
  const auto help = run_tool("s3d-depth", {"--help"});
  CHECK(help.exit_code == 0);
  for (const char* option : {"--frames", "--out", "--range", "--model", "--batch", "--normalize", "--window",
                             "--scene-cut", "--threads", "--force", "--quiet", "S3D_MODELS", "heuristic", "Example"})
    CHECK_THAT(help.out, Catch::Contains(option));
  const auto version = run_tool("s3d-depth", {"--version"});
  CHECK(version.exit_code == 0);
#if S3D_HAVE_DAV2
  CHECK_THAT(version.out, Catch::Contains("Depth-Anything-V2 on LibTorch"));
#else
  CHECK_THAT(version.out, Catch::Contains("heuristic only"));
  TempDir dir;
  fs::create_directories(dir / "frames");
  const auto r = run_tool("s3d-depth", {"--frames", (dir / "frames").string(), "--out", (dir / "d").string(),
                                        "--model", "vits"});
  CHECK(r.exit_code == 1);  // no vits checkpoint anywhere
  std::ofstream(dir / "model.pth") << "a checkpoint this build cannot run";
  const auto p = run_tool("s3d-depth", {"--frames", (dir / "frames").string(), "--out", (dir / "d").string(),
                                        "--model", (dir / "model.pth").string()});
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.err, Catch::Contains("built without LibTorch"));
  CHECK_FALSE(fs::exists(dir / "d"));
#endif
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"--frames", "f"}, {"--frames", "f", "--out", "o", "--batch", "0"}, {"--frames", "f", "--out", "o", "--normalize", "x"},
           {"--frames", "f", "--out", "o", "--window", "nan"}, {"--frames", "f", "--out", "f"}}) {
    const auto r = run_tool("s3d-depth", bad);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("s3d-depth: error:"));
  }
}

TEST_CASE("s3d-depth --benchmark times the estimator alone, writes nothing and needs no --out", "[e2e]") {
  TempDir dir;
  fs::create_directories(dir / "frames");
  cv::Mat frame(90, 160, CV_8UC3);
  cv::randu(frame, 0, 255);
  for (int i = 0; i < 2; ++i) cv::imwrite((dir / "frames" / ("00000" + std::to_string(i) + ".png")).string(), frame);
  const auto r = run_tool("s3d-depth", {"--frames", (dir / "frames").string(), "--model", "heuristic", "--batch", "2",
                                        "--benchmark", "3"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // One line on stdout: model_fps F s_per_batch S batch 2 frame 160x90 model heuristic, F = 2 / S.
  std::istringstream line(r.out);
  std::string k1, k2, k3, k4, k5, size, model;
  double fps = 0, seconds = 0;
  int batch = 0;
  line >> k1 >> fps >> k2 >> seconds >> k3 >> batch >> k4 >> size >> k5 >> model;
  CHECK(k1 == "model_fps");
  CHECK(batch == 2);
  CHECK(size == "160x90");
  CHECK(model == "heuristic");
  REQUIRE(seconds > 0);
  CHECK(fps == Approx(2 / seconds).epsilon(1e-3));
  // Nothing was written beside the frames.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
  // Without --benchmark, --out is required as ever.
  const auto no_out = run_tool("s3d-depth", {"--frames", (dir / "frames").string(), "--model", "heuristic"});
  CHECK(no_out.exit_code == 2);
  CHECK_THAT(no_out.err, Catch::Contains("--out"));
}
