// The s3d-preview stage: what the tools made for a few frames -> pictures to judge the 3D by.
// Inputs are the other tools' outputs, so the preview shows exactly what a real run makes:
// the source frames (s3d-extract), their depth (s3d-depth: fields or frame-sized maps, read
// as s3d-parallax reads them), the eyes (s3d-parallax --out DIR), optionally the eyes at
// smaller parallaxes (the wiggle's in-between views) and the packed frames as the film
// carries them (s3d-parallax --out - --pack FORMAT, one frame stream file per frame).
// Outputs in OUT: colormap/, pair/, anaglyph/, packed/ (NNNNNN.png), wiggle/ (NNNNNN.gif),
// contact-sheet.png and index.html. See docs/preview.md.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/frame_stage_options.hpp"
#include "parallax/black_bars.hpp"
#include "preview/colormap.hpp"
#include "preview/wiggle_gif.hpp"

namespace s3d::preview {

namespace fs = std::filesystem;

struct PreviewOptions : FrameStageOptions {
  fs::path frames_dir;   // --frames: the source frames, 8-bit (required); the frames previewed are those in --range
  fs::path depth_dir;    // --depth: their depth, fields or 16/8-bit maps (required)
  fs::path views_dir;    // --views: left/ and right/ eyes of s3d-parallax (required)
  fs::path out_dir;      // --out: where the preview goes (required)
  fs::path packed_dir;   // --packed: NNNNNN.frames, a one-frame stream each (s3d-parallax --out -); optional
  fs::path params_file;  // --params: KEY=VALUE lines, shown in the sheet and the page; optional
  fs::path commands_file;  // --commands: the commands that made the inputs, shown on the page; optional
  std::vector<fs::path> inner_views;  // --inner-views DIR...: left/right at smaller parallaxes, outermost first
  int wiggle_views = 2;   // --wiggle-views: views in the GIF, 2..15; (N - 2) / 2 of them from --inner-views, the centre (odd N) the frame
  double gif_fps = 4;     // --gif-fps
  int gif_width = 960;    // --gif-width, 0 = the frames' width
  int tile_width = 480;   // --tile-width: the contact sheet's pictures
  Colormap colormap = Colormap::kTurbo;  // --colormap
  // The views' geometry, as given to s3d-parallax (the legend's per-eye shifts, the screen depth):
  double parallax = 15;                 // --parallax
  std::optional<float> convergence;     // --convergence auto|0..1 (unset = auto, s3d-parallax's default)
  parallax::KeepBars keep_bars = parallax::KeepBars::kAuto;  // --keep-bars: auto draws black bars at the screen depth, as warped
  std::string fps;        // --fps RATE: the frame grid's rate, for the frames' times (optional)
  std::string title = "s3d preview";  // --title

  static const OptionTable<PreviewOptions>& table();
  void check() const;  // UsageError for invalid values
};

// How many --inner-views a wiggle of `views` views takes: (views - 2) / 2.
int inner_view_count(int views);

struct PreviewResult {
  int64_t frames = 0;
};

// Validates every input first (each frame has its depth, eyes, in-between eyes and packed
// frame, of matching sizes), then writes the per-frame pictures (frames in parallel), the
// contact sheet and the page. Everything is rewritten (the pictures are cheap; the depth
// and the eyes, which are not, are inputs).
PreviewResult make_preview(const PreviewOptions& options);

struct FrameDepth {
  cv::Mat depth;      // CV_32FC1, 0 = far .. 1 = near, the frame's size
  float screen = 0;   // the depth on the screen plane
};

// The normalized depth of frame `index` at `frame`'s size as s3d-parallax warps with it (a
// field rendered with the frame, a map converted and resized; unshaped), with its screen
// depth (`convergence`, or auto's for this frame: parallax::screen_depth) and, when
// `keep_bars` is auto, the frame's black bars flattened to it.
FrameDepth preview_depth(const fs::path& depth_dir, int64_t index, const cv::Mat& frame, parallax::KeepBars keep_bars,
                         std::optional<float> convergence);

}  // namespace s3d::preview
