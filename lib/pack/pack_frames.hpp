// The s3d-pack stage: left/right eye frame stores -> one packed 3D frame store.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "common/frame_range.hpp"
#include "common/progress.hpp"
#include "pack/stereo_format.hpp"

namespace s3d::pack {

namespace fs = std::filesystem;

struct PackOptions {
  fs::path left_dir;                      // left-eye frame store (required)
  fs::path right_dir;                     // right-eye frame store (required)
  fs::path out_dir;                       // packed frame store, created if missing (required)
  Format format = Format::kHalfSideBySide;  // layout, default hsbs
  Order order = Order::kLeftFirst;        // which eye comes first, default left-first
  std::optional<cv::Size> pad;            // centre each eye on a black canvas of this size first
  std::string image_format = "jpg";       // output encoding: "jpg" or "png" (default jpg)
  int jpeg_quality = 95;                  // JPEG quality 1..100, default 95
  FrameRange range;                       // frames to pack; default every left frame present
  bool force = false;                     // repack frames whose output exists
  int threads = 0;                        // worker threads, 0 = every core
  ProgressFn progress;                    // called after each frame (may be empty)

  // Throws UsageError for invalid values (before any frame is read).
  void check() const;
};

struct PackResult {
  int64_t written = 0;  // frames packed now
  int64_t skipped = 0;  // frames whose output was already present
};

// Packs every left frame in range. Before writing anything it checks that each has a
// right frame of the same size (and that --pad fits), so a bad input writes nothing.
PackResult pack_frames(const PackOptions& options);

}  // namespace s3d::pack
