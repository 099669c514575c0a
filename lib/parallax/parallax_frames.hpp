// The s3d-parallax stage: a frame store + a depth store -> OUT/left and OUT/right eye stores.
#pragma once
#include <filesystem>
#include <optional>

#include "common/frame_range.hpp"
#include "common/progress.hpp"
#include "parallax/depth_input.hpp"
#include "parallax/synthesize_views.hpp"

namespace s3d::parallax {

namespace fs = std::filesystem;

struct ParallaxOptions {
  fs::path frames_dir;        // source frames, 8-bit PNG/JPG, colour or grayscale (required)
  fs::path depth_dir;         // one depth map per frame, same index (required)
  fs::path out_dir;           // receives left/ and right/ (required)
  SynthesisParams synthesis;  // method and geometry (parallax 0..1000 px, convergence 0..1, ...)
  DepthShaping shaping;       // edge dilation 0..64 px, blur sigma 0..50 px (defaults 0 = off)
  int png_compression = 1;    // eye PNGs: 1 = fast_png encoder (default, intermediate files), 0/2..9 = zlib level
  FrameRange range;           // frames to process; default every frame present
  bool force = false;         // redo frames whose eye images exist
  int threads = 0;            // worker threads, 0 = every core
  ProgressFn progress;        // called after each frame (may be empty)

  // Throws UsageError for invalid values (before any file is touched).
  void check() const;
  // The same without requiring out_dir (for benchmark_frame, which writes nothing).
  void check_inputs_and_parameters() const;
};

struct ParallaxResult {
  int64_t written = 0;  // frames synthesized now
  int64_t skipped = 0;  // frames whose eyes were all present already
};

// Synthesizes every frame in range whose output is missing. Before writing anything it
// checks that each such frame has a depth map, so a missing one writes nothing.
ParallaxResult synthesize_frames(const ParallaxOptions& options);

struct BenchmarkResult {
  double median_ms = 0, min_ms = 0;  // per frame: depth preparation + every requested eye
  cv::Size size;
  int64_t frame = 0;  // the frame that was timed
};

// Times the in-process work on the first frame in range `repeats` times (out_dir unused,
// nothing written):
// depth conversion/resizing/shaping and the requested eyes, from decoded images.
BenchmarkResult benchmark_frame(const ParallaxOptions& options, int repeats);

}  // namespace s3d::parallax
