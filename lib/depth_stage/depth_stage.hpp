// The depth stage (s3d-depth) without the network: runs a DepthEstimator over a frame
// store and writes one 16-bit depth PNG + JSON sidecar per frame, normalized over time.
// The tool (tools/s3d-depth.cpp) picks the estimator (heuristic or Depth-Anything-V2) and
// calls run_depth_stage. Output format and normalization: docs/depth-maps.md.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/frame_stage_options.hpp"
#include <functional>

#include "depth_stage/depth_estimator.hpp"
#include "imageio/frame_source.hpp"
#include "depth_stage/normalization.hpp"

namespace s3d::depth_stage {

namespace fs = std::filesystem;

// How the depth stage stores a frame's depth (beside its JSON sidecar, docs/depth-maps.md).
enum class DepthFormat {
  kPng16,  // png16: a 16-bit PNG of the frame's size, the normalized depth (0 = far, 65535 = near)
  kField,  // field: the estimator's own resolution (depth_field.hpp), made frame-sized by s3d-parallax
};
const EnumNames<DepthFormat>& depth_format_names();  // png16 field

struct DepthStageOptions : FrameStageOptions {  // progress: after each frame written; `global`'s
                                                // second pass then counts its rewrites
  fs::path frames_dir;                   // --frames: input frame store, 8-bit images (or another source)
  fs::path out_dir;                      // --out: depth frame store, created if missing (required)
  DepthFormat format = DepthFormat::kPng16;  // --format png16|field, default png16
  int batch = 1;                         // frames per estimate() call, 1..256
  Normalize normalize = Normalize::kWindow;  // --normalize frame|window|global, default window
  int window = 48;                       // --window: frames the `window` range looks back over,
                                         // 1..1000, default 48 (2 s at 24 fps); a run starting
                                         // mid-film first estimates the window - 1 frames before
                                         // its start (not written); 1 = like frame
  double scene_cut_threshold = 0.45;     // HSV-histogram Bhattacharyya distance to the previous
                                         // frame above which a scene cut restarts the window,
                                         // (0, 1]; 1 = never

  // Not an option: when set, called with every frame of the range in frame order, each once
  // its depth is on disk (done before or now): a tool passes the frames on this way (tee).
  std::function<void(const IndexedFrame&)> on_frame;

  static const OptionTable<DepthStageOptions>& table();
  // Throws UsageError for invalid values (before anything is read); `writes` = false for
  // callers that write no depth (a benchmark): then --out may be missing.
  void check(bool writes = true) const;
};

struct DepthStageResult {
  int64_t written = 0;     // frames estimated and written now
  int64_t skipped = 0;     // frames whose output was already present
  int64_t warmed = 0;      // frames before the range estimated for the `window` range only
  int64_t scene_cuts = 0;  // scene cuts detected among the frames written now
  int64_t renormalized = 0;  // frames rewritten by `global`'s second pass (incl. ones written now)
};

// Runs `estimator` over every frame in range that lacks an output (all with `force`), in
// frame order (for `window`, also over the frames before each stretch of them that the
// window reaches and whose depth is not on disk: the output never depends on where a run
// starts), `batch` frames per call, decoding the next batch and encoding the previous
// one while the estimator works. Options and inputs (frames dir, every frame's header, the
// sidecar an `ema` resume continues from) are validated before the estimator is called or
// anything is written. Throws UsageError / Error naming the option, file or frame.
DepthStageResult run_depth_stage(const DepthStageOptions& options, DepthEstimator& estimator);
// The same with the frames from `source` (a frame store, a video, a frame stream) instead of
// options.frames_dir.
DepthStageResult run_depth_stage(const DepthStageOptions& options, DepthEstimator& estimator, FrameSource& source);

}  // namespace s3d::depth_stage
