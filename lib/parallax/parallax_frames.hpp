// The s3d-parallax stage: a frame store + a depth store -> OUT/left and OUT/right eye stores.
#pragma once
#include <filesystem>
#include <optional>

#include "core/frame_stage_options.hpp"
#include "parallax/depth_input.hpp"
#include "parallax/synthesize_views.hpp"

namespace s3d::parallax {

namespace fs = std::filesystem;

struct ParallaxOptions : FrameStageOptions {
  fs::path frames_dir;        // --frames: source frames, 8-bit PNG/JPG, colour or grayscale (required)
  fs::path depth_dir;         // --depth: one depth map per frame, same index (required)
  fs::path out_dir;           // --out: receives left/ and right/ (required unless benchmark)
  SynthesisParams synthesis;  // method and geometry (parallax 0..1000 px, convergence 0..1, ...)
  DepthShaping shaping;       // edge dilation 0..64 px, blur sigma 0..50 px (defaults 0 = off)
  int png_compression = 1;    // --png-compression 0..9: 1 = the fast literal-only encoder (default,
                              //   intermediate files), others = that zlib level
  int benchmark = 0;          // --benchmark N: write nothing, time the in-process work N times instead

  static const OptionTable<ParallaxOptions>& table();
  // Throws UsageError for invalid values (before any file is touched).
  void check() const;
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

// Times the in-process work on the first frame in range options.benchmark times (out_dir
// unused, nothing written): depth conversion/resizing/shaping and the requested eyes, from
// decoded images.
BenchmarkResult benchmark_frame(const ParallaxOptions& options);

}  // namespace s3d::parallax
