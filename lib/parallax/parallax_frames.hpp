// The s3d-parallax stage: a frame store + a depth store -> OUT/left and OUT/right eye stores.
#pragma once
#include <filesystem>
#include <optional>

#include <functional>

#include "core/frame_stage_options.hpp"
#include "imageio/frame_source.hpp"
#include "parallax/depth_input.hpp"
#include "parallax/packed_views.hpp"
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

// `--out -`: the views are passed on (stream_views) instead of written.
inline const fs::path kStreamOut = "-";

// Synthesizes every frame in range whose output is missing. Before writing anything it
// checks that each such frame has a depth map, so a missing one writes nothing.
ParallaxResult synthesize_frames(const ParallaxOptions& options);

// When stream_views looks for each frame's depth map.
enum class DepthArrival {
  kBefore,     // the depth store is complete: every map is checked before any work
  kWithFrame,  // the maps are written as the frames come (s3d-depth --tee -): each is read when its frame arrives
};

// The views of every frame of options.range, from `frames` (a frame store, a video, a frame
// stream) and the depth store options.depth_dir (frame-sized maps or fields), handed to
// `consume(index, views)` in frame order from the calling thread; nothing is written here.
// Frames are warped in parallel. Returns the number of frames.
int64_t stream_views(const ParallaxOptions& options, FrameSource& frames,
                     const std::function<void(int64_t, const StereoViews&)>& consume,
                     DepthArrival arrival = DepthArrival::kBefore);

// The same, each frame's two views packed into one stereo frame (packed_views.hpp) on the
// worker threads, handed to `consume(index, packed)` in frame order.
int64_t stream_packed(const ParallaxOptions& options, const PackedOutput& output, FrameSource& frames,
                      const std::function<void(int64_t, const cv::Mat&)>& consume,
                      DepthArrival arrival = DepthArrival::kBefore);

struct BenchmarkResult {
  double median_ms = 0, min_ms = 0;  // per frame: depth preparation + every requested eye
  cv::Size size;
  int64_t frame = 0;  // the frame that was timed
};

// Times the in-process work on the first frame in range options.benchmark times (out_dir
// unused, nothing written): depth conversion/resizing/shaping and the requested eyes, from
// decoded images; with `packed`, the packed frame instead (render_packed, one thread).
BenchmarkResult benchmark_frame(const ParallaxOptions& options, const PackedOutput* packed = nullptr);

}  // namespace s3d::parallax
