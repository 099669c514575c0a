#include "parallax/parallax_frames.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>

#include "common/atomic_file.hpp"
#include "common/errors.hpp"
#include "common/frame_store.hpp"
#include "common/image_io.hpp"
#include "common/parallel.hpp"
#include "parallax/fast_png.hpp"
#include "parallax/png_reader.hpp"

namespace s3d::parallax {
namespace {

struct Job {
  int64_t index;
  fs::path frame, depth;
  bool left, right;  // which eyes to write
};

fs::path eye_dir(const fs::path& out, Eye eye) { return out / (eye == Eye::kLeft ? "left" : "right"); }

// Writes an eye PNG atomically. Level 1 (the default, for intermediate files) uses the
// literal-only encoder of fast_png.hpp; other levels go through OpenCV/libpng/zlib.
void write_eye_png(const fs::path& path, const cv::Mat& image, int png_compression) {
  if (png_compression == 1) {
    thread_local FastPngEncoder encoder;  // per worker: its ~20 MB of buffers stay mapped
    const auto bytes = encoder.encode(image);
    write_file_atomic(path, bytes.data, bytes.size);
    return;
  }
  write_image_atomic(path, image, ImageWriteOptions{95, png_compression});
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

void check_range(const char* option, double value, double lo, double hi) {
  if (value >= lo && value <= hi) return;  // (false for NaN)
  char text[160];
  std::snprintf(text, sizeof text, "%s: expected %g..%g, got %g", option, lo, hi, value);
  throw UsageError(text);
}

}  // namespace

void ParallaxOptions::check() const {
  check_inputs_and_parameters();
  if (out_dir.empty()) throw UsageError("missing required option --out (see --help)");
}

void ParallaxOptions::check_inputs_and_parameters() const {
  if (frames_dir.empty()) throw UsageError("missing required option --frames (see --help)");
  if (depth_dir.empty()) throw UsageError("missing required option --depth (see --help)");
  check_range("--parallax", synthesis.parallax, 0, 1000);
  check_range("--convergence", synthesis.convergence, 0, 1);
  check_range("--inpaint-radius", synthesis.inpaint_radius, 1, 50);
  check_range("--edge-dilation", shaping.edge_dilation, 0, 64);
  check_range("--depth-blur", shaping.blur_sigma, 0, 50);
  check_range("--png-compression", png_compression, 0, 9);
  if (threads < 0) throw UsageError("--threads: expected >= 0, got " + std::to_string(threads));
}

ParallaxResult synthesize_frames(const ParallaxOptions& options) {
  options.check();
  ParallaxResult result;
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
        read_image_into(job.frame, cv::IMREAD_COLOR, frame);
        read_depth_into(job.depth, raw_depth);
        prepare_depth(raw_depth, frame.size(), options.shaping, job.depth.string(), depth);
        synthesize_views(frame, depth, options.synthesis, row_threads, views);
        // Only missing eyes are written: a frame interrupted between its two writes keeps its first eye.
        if (job.left) write_eye_png(frame_path(eye_dir(options.out_dir, Eye::kLeft), job.index, ".png"), views.left, options.png_compression);
        if (job.right) write_eye_png(frame_path(eye_dir(options.out_dir, Eye::kRight), job.index, ".png"), views.right, options.png_compression);
      },
      [&](int64_t done) {
        if (options.progress) options.progress(done, total);
      });
  result.written = total;
  return result;
}

BenchmarkResult benchmark_frame(const ParallaxOptions& options, int repeats) {
  options.check_inputs_and_parameters();
  if (repeats < 1) throw UsageError("--benchmark: expected a repeat count >= 1, got " + std::to_string(repeats));
  require_directory(options.frames_dir, "frame");
  require_directory(options.depth_dir, "depth");
  const auto frames = frames_in_range(list_frames(options.frames_dir), options.range);
  if (frames.empty()) throw Error("no frame in range " + options.range.str() + " of '" + options.frames_dir.string() + "' to time");
  const auto& first = frames.front();
  const auto depth_path = find_frame(options.depth_dir, first.index);
  if (!depth_path) throw Error("frame " + std::to_string(first.index) + " has no depth map in '" + options.depth_dir.string() + "'");
  const cv::Mat frame = read_image(first.path, cv::IMREAD_COLOR);
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
