#include "parallax/parallax_frames.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/errors.hpp"
#include "core/file_identity.hpp"
#include "core/frame_store.hpp"
#include "core/parallel.hpp"
#include "imageio/image_file.hpp"

namespace s3d::parallax {
namespace {

struct Job {
  int64_t index;
  fs::path frame, depth;
  bool left, right;  // which eyes to write
};

fs::path eye_dir(const fs::path& out, Eye eye) { return out / (eye == Eye::kLeft ? "left" : "right"); }

// Level 1 (the default, for intermediate files) is the fast literal-only encoder; other
// levels go through OpenCV/libpng/zlib.
ImageWriteOptions eye_png_options(int png_compression) {
  ImageWriteOptions o;
  o.png_compression = png_compression;
  o.fast_png = png_compression == 1;
  return o;
}

// Sets OpenCV's thread count for a scope, then restores it.
class OpenCvThreads {
 public:
  explicit OpenCvThreads(int threads) : saved_(cv::getNumThreads()) { cv::setNumThreads(threads); }
  ~OpenCvThreads() { cv::setNumThreads(saved_); }
  OpenCvThreads(const OpenCvThreads&) = delete;
  OpenCvThreads& operator=(const OpenCvThreads&) = delete;

 private:
  int saved_;
};

void require_directory(const fs::path& dir, const std::string& what) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(what + " directory '" + dir.string() + "' does not exist");
}

std::vector<Job> plan_jobs(const ParallaxOptions& options, ParallaxResult& result) {
  require_directory(options.frames_dir, "frame");
  require_directory(options.depth_dir, "depth");
  const auto frames = frames_in_range(list_frames(options.frames_dir), options.range);
  if (!options.range.is_open()) require_whole_range(frames, options.range, options.frames_dir, "frame directory");
  std::vector<Job> jobs;
  for (const auto& frame : frames) {
    Job job{frame.index, frame.path, {}, false, false};
    for (Eye eye : {Eye::kLeft, Eye::kRight}) {
      if (!makes_eye(options.synthesis.synthesize, eye)) continue;
      const bool todo = options.force || !fs::exists(frame_path(eye_dir(options.out_dir, eye), frame.index, ".png"));
      (eye == Eye::kLeft ? job.left : job.right) = todo;
    }
    if (!job.left && !job.right) {
      ++result.skipped;
      continue;
    }
    auto depth = find_frame(options.depth_dir, frame.index);
    if (!depth)
      throw Error("frame " + std::to_string(frame.index) + " ('" + frame.path.string() + "') has no depth map: expected '" +
                  frame_path(options.depth_dir, frame.index, ".png").string() + "' (or another image extension)");
    job.depth = *depth;
    jobs.push_back(std::move(job));
  }
  return jobs;
}

}  // namespace

const OptionTable<ParallaxOptions>& ParallaxOptions::table() {
  static const auto table =
      OptionTable<ParallaxOptions>()
          .path("frames", &ParallaxOptions::frames_dir, "Source frame directory, 8-bit PNG/JPG", Need::kRequired, "DIR")
          .path("depth", &ParallaxOptions::depth_dir,
                "Depth map directory, one 8/16-bit grayscale image per frame index, 0 = farthest, max = nearest; other "
                "sizes are resized", Need::kRequired, "DIR")
          .path("out", &ParallaxOptions::out_dir,
                "Output directory; eyes go to OUT/left and OUT/right (required unless --benchmark)", Need::kOptional, "DIR")
          .nest(&ParallaxOptions::synthesis, SynthesisParams::table())
          .nest(&ParallaxOptions::shaping, DepthShaping::table())
          .number("png-compression", &ParallaxOptions::png_compression, Bounds{0, 9},
                  "Compression of the eye PNGs: 1 = a fast literal-only encoder (they are intermediate files); 0, 2..9 "
                  "= zlib at that level")
          .number("benchmark", &ParallaxOptions::benchmark, Bounds{0, 100000},
                  "Write nothing: time the in-process work (depth preparation + requested eyes) on the first frame in "
                  "range N times, print 'ms_per_frame MEDIAN min MIN' to stdout; 0 = off")
          .include(FrameStageOptions::table());
  return table;
}

void ParallaxOptions::check() const {
  table().check(*this);
  if (out_dir.empty() && benchmark == 0) throw UsageError("missing required option --out (see --help)");
  for (const char* eye : {"", "left", "right"})
    for (const auto& [input, option] : {std::pair(frames_dir, "--frames"), std::pair(depth_dir, "--depth")})
      refuse_overwriting_input(out_dir / eye, std::string("--out") + (*eye ? std::string(" (its ") + eye + "/)" : ""),
                               input, option);
}

ParallaxResult synthesize_frames(const ParallaxOptions& options) {
  options.check();
  ParallaxResult result;
  if (options.benchmark > 0) throw UsageError("--benchmark: call benchmark_frame (writes nothing) instead");
  const std::vector<Job> jobs = plan_jobs(options, result);
  if (jobs.empty()) return result;
  for (Eye eye : {Eye::kLeft, Eye::kRight})
    if (makes_eye(options.synthesis.synthesize, eye)) ensure_directory(eye_dir(options.out_dir, eye));

  // Whole frames in parallel (so decoding, warping and encoding of different frames
  // overlap); threads left over when there are fewer frames than threads split rows.
  const int threads = resolve_threads(options.threads);
  const int64_t total = static_cast<int64_t>(jobs.size());
  const int frame_workers = static_cast<int>(std::min<int64_t>(threads, total));
  const int row_threads = std::max(1, threads / frame_workers);
  // OpenCV's own pool (resize, blur) shares the cores with the frame workers.
  const OpenCvThreads opencv_threads(row_threads);

  parallel_for(
      total, frame_workers,
      [&](int64_t i) {
        const Job& job = jobs[i];
        // Per worker, reused from frame to frame: fresh 1080p buffers (~40 MB a frame) would
        // cost a page fault per 4 KiB.
        thread_local cv::Mat frame, raw_depth, depth;
        thread_local StereoViews views;
        read_image_into(job.frame, kReadColor, frame);
        read_depth_into(job.depth, raw_depth);
        prepare_depth(raw_depth, frame.size(), options.shaping, job.depth.string(), depth);
        synthesize_views(frame, depth, options.synthesis, row_threads, views);
        // Only missing eyes are written: a frame interrupted between its two writes keeps its first eye.
        const ImageWriteOptions png = eye_png_options(options.png_compression);
        if (job.left) write_image_atomic(frame_path(eye_dir(options.out_dir, Eye::kLeft), job.index, ".png"), views.left, png);
        if (job.right) write_image_atomic(frame_path(eye_dir(options.out_dir, Eye::kRight), job.index, ".png"), views.right, png);
      },
      [&](int64_t done) {
        if (options.progress) options.progress(done, total);
      });
  result.written = total;
  return result;
}

BenchmarkResult benchmark_frame(const ParallaxOptions& options) {
  options.check();
  const int repeats = options.benchmark;
  if (repeats < 1) throw UsageError("--benchmark: expected a repeat count >= 1, got " + std::to_string(repeats));
  require_directory(options.frames_dir, "frame");
  require_directory(options.depth_dir, "depth");
  const auto frames = frames_in_range(list_frames(options.frames_dir), options.range);
  if (frames.empty()) throw Error("no frame in range " + options.range.str() + " of '" + options.frames_dir.string() + "' to time");
  const auto& first = frames.front();
  const auto depth_path = find_frame(options.depth_dir, first.index);
  if (!depth_path) throw Error("frame " + std::to_string(first.index) + " has no depth map in '" + options.depth_dir.string() + "'");
  const cv::Mat frame = read_image(first.path, kReadColor);
  const cv::Mat raw = read_depth(*depth_path);
  const int threads = resolve_threads(options.threads);

  std::vector<double> ms;
  cv::Mat depth;
  StereoViews views;  // reused from repeat to repeat, as the stage reuses them from frame to frame
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    prepare_depth(raw, frame.size(), options.shaping, depth_path->string(), depth);
    synthesize_views(frame, depth, options.synthesis, threads, views);
    ms.push_back(1000.0 * seconds_since(start));
    if (options.progress) options.progress(r + 1, repeats);
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.front(), frame.size(), first.index};
}

}  // namespace s3d::parallax
