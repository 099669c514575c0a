// Which depth model s3d-depth uses: --model PATH | vits | vitb | vitl | vitg | heuristic.
// Short names resolve to depth_anything_v2_<name>.pth, searched in order in
//   1. $S3D_MODELS (if set),
//   2. <s3d source tree>/models (the checkout this library was built from),
//   3. ./models (relative to the current directory).
// Without --model, the first of vits, vitb, vitl, vitg found there is used (the smallest is
// the fastest), else the built-in heuristic.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/option_table.hpp"

namespace s3d::depth_stage {

namespace fs = std::filesystem;

// --model: PATH to a .pth | vits | vitb | vitl | vitg | heuristic; "" = the first official
// checkpoint found, else heuristic.
struct ModelOptions {
  std::string model;
  static const OptionTable<ModelOptions>& table();
};

struct ModelChoice {
  bool heuristic = false;   // use the model-free estimator
  fs::path checkpoint;      // the Depth-Anything-V2 checkpoint otherwise
  bool fallback = false;    // heuristic only because no checkpoint was found (say so once)
};

// The directories searched for short names, in order (existing or not).
std::vector<fs::path> model_search_dirs();

// The official Depth-Anything-V2 encoders, smallest (fastest) first: vits, vitb, vitl, vitg.
// (Their dimensions are in depth_anything_v2/dav2_config.cpp; a test checks both agree.)
const std::vector<std::string>& dav2_encoder_names();

// "depth_anything_v2_<encoder>.pth"
std::string checkpoint_filename(const std::string& encoder);

// Resolves --model ("" = not given). Throws Error listing the searched places when a short
// name or a path does not exist.
ModelChoice resolve_model(const std::string& spec);

}  // namespace s3d::depth_stage
