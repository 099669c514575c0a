#include "parallax/parallax_frames.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/errors.hpp"
#include "core/file_identity.hpp"
#include "core/frame_store.hpp"
#include "core/ordered_pipeline.hpp"
#include "core/parallel.hpp"
#include "depth_stage/depth_field.hpp"
#include "imageio/frame_pool.hpp"
#include "imageio/image_file.hpp"
#include "imageio/opencv_threads.hpp"

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

void require_directory(const fs::path& dir, const std::string& what) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(what + " directory '" + dir.string() + "' does not exist");
}

// The depth map of frame `index`; Error naming `what` (the frame) when there is none.
fs::path depth_file(const fs::path& depth_dir, int64_t index, const std::string& what) {
  auto depth = find_frame(depth_dir, index);
  if (!depth)
    throw Error(what + " has no depth map: expected '" + frame_path(depth_dir, index, ".png").string() +
                "' (or another image extension)");
  return *depth;
}

// The frame's depth, normalized, unshaped, at the size of `picture` (the frame, or the frame
// resized): a field store's frames are rendered with the picture
// (depth_stage/depth_field.hpp), other maps are converted and resized.
void load_depth(const ParallaxOptions& options, int64_t index, const fs::path& file, cv::Size frame_size,
                const cv::Mat& picture, cv::Mat& raw_buffer, cv::Mat& depth) {
  if (depth_stage::is_field_frame(options.depth_dir, index)) {
    depth_stage::read_field_depth(options.depth_dir, index, frame_size, picture, depth);
    return;
  }
  read_depth_into(file, raw_buffer);
  prepare_depth(raw_buffer, picture.size(), DepthShaping{}, file.string(), depth);
}

std::vector<Job> plan_jobs(const ParallaxOptions& options, ParallaxResult& result) {
  require_directory(options.frames_dir, "frame");
  require_directory(options.depth_dir, "depth");
  const auto frames = frames_in_range(list_frames(options.frames_dir), options.range);
  if (!options.range.is_open()) require_whole_range(frames, options.range, "frame directory '" + options.frames_dir.string() + "'");
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
    job.depth = depth_file(options.depth_dir, frame.index, "frame " + std::to_string(frame.index) + " ('" +
                                                              frame.path.string() + "')");
    jobs.push_back(std::move(job));
  }
  return jobs;
}

}  // namespace

const OptionTable<ParallaxOptions>& ParallaxOptions::table() {
  static const auto table =
      OptionTable<ParallaxOptions>()
          .path("frames", &ParallaxOptions::frames_dir,
                "Source frame directory, 8-bit PNG/JPG; - for a frame stream on stdin (s3d-depth --tee -); or --video FILE",
                Need::kOptional, "DIR")
          .path("depth", &ParallaxOptions::depth_dir,
                "Depth map directory, one 8/16-bit grayscale image per frame index, 0 = farthest, max = nearest; other "
                "sizes are resized", Need::kRequired, "DIR")
          .path("out", &ParallaxOptions::out_dir,
                "Output directory; eyes go to OUT/left and OUT/right; - packs them (--pack) into a frame stream on stdout "
                "for s3d-encode --frames - (required unless --benchmark)",
                Need::kOptional, "DIR")
          .nest(&ParallaxOptions::synthesis, SynthesisParams::table())
          .nest(&ParallaxOptions::shaping, DepthShaping::table())
          .number("png-compression", &ParallaxOptions::png_compression, Bounds{0, 9},
                  "Compression of the eye PNGs: 1 = a fast literal-only encoder (they are intermediate files); 0, 2..9 "
                  "= zlib at that level")
          .number("benchmark", &ParallaxOptions::benchmark, Bounds{0, 100000},
                  "Write nothing: time the in-process work (depth preparation + requested eyes; with --out -: the "
                  "packed frame, one thread) on the first frame in range N times, print 'ms_per_frame MEDIAN min MIN' "
                  "to stdout; 0 = off")
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
  if (options.frames_dir.empty()) throw UsageError("missing required option --frames (see --help)");
  if (options.out_dir == kStreamOut) throw UsageError("--out -: call stream_views, which passes the views on");
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
        load_depth(options, job.index, job.depth, frame.size(), frame, raw_depth, depth);
        shape_depth(depth, options.shaping);
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

namespace {

// Every frame of options.range from `frames`: `work(frame, depth_file)` on worker threads,
// then `consume(result)` in frame order on the calling thread.
template <class Result>
int64_t stream_frames(const ParallaxOptions& options, FrameSource& frames, DepthArrival arrival,
                      const std::function<Result(IndexedFrame&, const fs::path&)>& work,
                      const std::function<void(Result&)>& consume) {
  options.check();
  const bool before = arrival == DepthArrival::kBefore;
  if (before) require_directory(options.depth_dir, "depth");
  const auto indices = frames.indices(options.range);
  if (!options.range.is_open()) {
    std::vector<FrameFile> listed;
    for (int64_t i : indices) listed.push_back({i, {}});
    require_whole_range(listed, options.range, frames.name());
  }
  const auto depth_of = [&](int64_t i) {
    return depth_file(options.depth_dir, i, "frame " + std::to_string(i) + " of " + frames.name());
  };
  std::map<int64_t, fs::path> depth;  // checked before any work, unless it comes with the frames
  if (before)
    for (int64_t i : indices) depth[i] = depth_of(i);
  frames.start(indices);
  const int threads = resolve_threads(options.threads);
  const OpenCvThreads opencv_threads(1);  // the frames are the parallel unit
  int64_t done = 0;
  const int64_t total = static_cast<int64_t>(indices.size());
  run_ordered_pipeline<IndexedFrame, Result>(
      [&](IndexedFrame& f) { return frames.next(f); },
      [&](IndexedFrame& f) { return work(f, before ? depth.at(f.index) : depth_of(f.index)); },
      [&](Result& r) {
        consume(r);
        if (options.progress) options.progress(++done, total);
      },
      threads, 2 * threads + 2);
  return done;
}

}  // namespace

int64_t stream_views(const ParallaxOptions& options, FrameSource& frames,
                     const std::function<void(int64_t, const StereoViews&)>& consume, DepthArrival arrival) {
  struct Work {
    int64_t index;
    StereoViews views;
  };
  return stream_frames<Work>(
      options, frames, arrival,
      [&](IndexedFrame& f, const fs::path& file) {
        thread_local cv::Mat raw_depth, map;
        Work w{f.index, {}};
        load_depth(options, f.index, file, f.image.size(), f.image, raw_depth, map);
        shape_depth(map, options.shaping);
        synthesize_views(f.image, map, options.synthesis, 1, w.views);
        return w;
      },
      [&](Work& w) { consume(w.index, w.views); });
}

int64_t stream_packed(const ParallaxOptions& options, const PackedOutput& output, FrameSource& frames,
                      const std::function<void(int64_t, const cv::Mat&)>& consume, DepthArrival arrival) {
  output.check();
  struct Work {
    int64_t index;
    cv::Mat packed;
  };
  return stream_frames<Work>(
      options, frames, arrival,
      [&](IndexedFrame& f, const fs::path& file) {
        thread_local cv::Mat raw_depth;
        thread_local PackedBuffers buffers;
        thread_local FramePool pool(2 * resolve_threads(options.threads) + 4);
        Work w{f.index, pool.take(packed_frame_size(output, f.image.size()), f.image.type())};
        const DepthLoader loader = [&](const cv::Mat& picture, cv::Mat& depth) {
          load_depth(options, f.index, file, f.image.size(), picture, raw_depth, depth);
        };
        render_packed(f.image, loader, options.synthesis, options.shaping, output, buffers, w.packed);
        return w;
      },
      [&](Work& w) { consume(w.index, w.packed); });
}

BenchmarkResult benchmark_frame(const ParallaxOptions& options, const PackedOutput* packed) {
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
  cv::Mat depth, out;
  StereoViews views;  // reused from repeat to repeat, as the stage reuses them from frame to frame
  PackedBuffers buffers;
  const DepthLoader loader = [&](const cv::Mat& picture, cv::Mat& d) {
    prepare_depth(raw, picture.size(), DepthShaping{}, depth_path->string(), d);
  };
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    if (packed) {
      render_packed(frame, loader, options.synthesis, options.shaping, *packed, buffers, out);
    } else {
      prepare_depth(raw, frame.size(), options.shaping, depth_path->string(), depth);
      synthesize_views(frame, depth, options.synthesis, threads, views);
    }
    ms.push_back(1000.0 * seconds_since(start));
    if (options.progress) options.progress(r + 1, repeats);
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.front(), frame.size(), first.index};
}

}  // namespace s3d::parallax
