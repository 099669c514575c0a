// Heuristic depth speed, in-process, and the depth stage's throughput with it (PNG decode,
// estimate, 16-bit PNG + sidecar encode). Built and run by bench/depthmap_bench.sh.
//   depthmap_bench FRAME.png WORK_DIR [stage frames]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "core/frame_store.hpp"
#include "depth_stage/depth_stage.hpp"
#include "depth_stage/heuristic_depth.hpp"

using namespace s3d;
using namespace s3d::depth_stage;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Median ms of `runs` calls of `work` (after 3 warm-ups).
double median_ms(int runs, const std::function<void()>& work) {
  for (int i = 0; i < 3; ++i) work();
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    work();
    ms.push_back(ms_since(t0));
  }
  std::nth_element(ms.begin(), ms.begin() + runs / 2, ms.end());
  return ms[runs / 2];
}

double heuristic_ms(const cv::Mat& frame, int runs) {
  HeuristicDepth heuristic;
  return median_ms(runs, [&] { heuristic.estimate_one(frame); });
}

void row(const std::string& what, double ms) { std::printf("%-62s %9.2f %9.1f\n", what.c_str(), ms, 1000.0 / ms); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: depthmap_bench FRAME.png WORK_DIR [stage frames]\n");
    return 2;
  }
  const cv::Mat frame = cv::imread(argv[1], cv::IMREAD_COLOR);
  const std::filesystem::path work = argv[2];
  const int stage_frames = argc > 3 ? std::stoi(argv[3]) : 60;
  if (frame.empty()) return 1;
  cv::Mat p720;
  cv::resize(frame, p720, cv::Size(1280, 720), 0, 0, cv::INTER_AREA);

  std::printf("%-62s %9s %9s\n", "measurement", "ms/frame", "frames/s");
  row("heuristic estimate, in-process, 1080p (median of 50)", heuristic_ms(frame, 50));
  row("heuristic estimate, in-process, 720p (median of 50)", heuristic_ms(p720, 50));

  // Where the stage's time goes besides the estimate: the codecs (single-threaded each).
  const cv::Mat depth16 = quantize_depth(HeuristicDepth().estimate_one(frame), {0.0, 1.0});
  row("  PNG decode of the 8-bit 1080p input frame (median of 10)",
      median_ms(10, [&] { cv::imread(argv[1], cv::IMREAD_COLOR); }));
  row("  16-bit PNG encode of its depth, as the stage writes it (median of 10)", median_ms(10, [&] {
        std::vector<uchar> bytes;
        cv::imencode(".png", depth16, bytes);
      }));
  row("  same, with write_image_atomic's parameters (level 1, adaptive filters)", median_ms(10, [&] {
        std::vector<uchar> bytes;
        cv::imencode(".png", depth16, bytes, {cv::IMWRITE_PNG_COMPRESSION, 1});
      }));

  // The stage over symlinks to one 1080p PNG: decode + estimate + encode + sidecar.
  const auto frames_dir = work / "frames";
  std::filesystem::create_directories(frames_dir);
  for (int i = 0; i < stage_frames; ++i)
    std::filesystem::create_symlink(std::filesystem::absolute(argv[1]), frame_path(frames_dir, i, ".png"));
  for (Normalize mode : {Normalize::kEma, Normalize::kGlobal}) {
    DepthStageOptions options;
    options.frames_dir = frames_dir;
    options.out_dir = work / ("depth-" + normalize_name(mode));
    options.normalize = mode;
    options.batch = 4;
    HeuristicDepth heuristic;
    const auto t0 = Clock::now();
    run_depth_stage(options, heuristic);
    row("depth stage, heuristic, 1080p PNG in/out, --normalize " + normalize_name(mode) + " (" +
            std::to_string(stage_frames) + " frames)",
        ms_since(t0) / stage_frames);
  }
  return 0;
}
