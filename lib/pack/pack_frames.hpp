// The s3d-pack stage: left/right eye frame stores -> one packed 3D frame store.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "core/frame_stage_options.hpp"
#include "pack/vr180_projection.hpp"
#include "stereo/stereo_format.hpp"

namespace s3d::pack {

namespace fs = std::filesystem;

struct PackOptions : FrameStageOptions {
  fs::path left_dir;                    // --left: left-eye frame store (required)
  fs::path right_dir;                   // --right: right-eye frame store (required)
  fs::path out_dir;                     // --out: packed frame store, created if missing (required)
  stereo::StereoFormat stereo;          // --format (default hsbs; not rgbd: s3d-parallax makes it), --order
  Vr180Options vr;                      // --vr-fov, --vr-size (vr180)
  std::optional<cv::Size> pad;          // --pad WxH: centre each eye on a black canvas first; default none
  std::string image_format = "jpg";     // --image-format: jpg | png, default jpg
  int jpeg_quality = 95;                // --quality: JPEG quality 1..100, default 95

  static const OptionTable<PackOptions>& table();
  // Throws UsageError for invalid values (before any frame is read): also for rgbd and
  // half-rgbd (they need the depth, which s3d-parallax --pack has) and for --pad with vr180.
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
