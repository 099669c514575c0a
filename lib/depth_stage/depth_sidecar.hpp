// The per-frame sidecar of a depth frame store: NNNNNN.json beside NNNNNN.png, holding what
// is needed to read the PNG back as raw depth (raw = lo + v / 65535 * (hi - lo)) and to
// renormalize without the network (the raw range, the scene-cut flag). A depth frame is
// done only when both files exist: the PNG is written first, the sidecar last, and a rewrite
// removes the old sidecar before touching the PNG.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include <optional>

#include "depth_stage/depth_field.hpp"
#include "depth_stage/normalization.hpp"

namespace s3d::depth_stage {

namespace fs = std::filesystem;

constexpr const char* kSidecarFormat = "s3d-depth/1";

struct DepthSidecar {
  int64_t frame = 0;                      // global frame index
  std::string model;                      // DepthEstimator::name()
  Normalize normalize = Normalize::kFrame;  // how `mapped` was chosen
  int width = 0, height = 0;              // the frame's size, pixels
  DepthRange raw;                         // min..max of the estimator's output for this frame
  DepthRange mapped;                      // the raw values normalized to 0 (far) and 1 (near);
                                          // a frame-sized PNG stores them as 0 and 65535
  bool scene_cut = false;                 // a cut was detected between the previous frame and this one
  std::optional<FieldEncoding> field;     // set: the PNG holds a depth field (depth_field.hpp),
                                          // else the frame-sized normalized map
};

fs::path depth_png_path(const fs::path& out_dir, int64_t index);
fs::path sidecar_path(const fs::path& out_dir, int64_t index);
// Both the PNG and the sidecar exist.
bool depth_frame_done(const fs::path& out_dir, int64_t index);

// One flat JSON object; numbers are written shortest-exact, so reading back is lossless.
std::string sidecar_to_json(const DepthSidecar& sidecar);
// Parses sidecar_to_json's output; throws Error naming `source` and the bad key.
DepthSidecar sidecar_from_json(const std::string& text, const std::string& source);

void write_sidecar(const fs::path& path, const DepthSidecar& sidecar);  // atomic
DepthSidecar read_sidecar(const fs::path& path);

}  // namespace s3d::depth_stage
