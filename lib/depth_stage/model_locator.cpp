#include "depth_stage/model_locator.hpp"

#include <cstdlib>

#include "core/errors.hpp"

namespace s3d::depth_stage {

std::vector<fs::path> model_search_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("S3D_MODELS"); env && *env) dirs.emplace_back(env);
  // This file is lib/depth_stage/model_locator.cpp of the source tree (CMake compiles absolute paths).
  const fs::path source_file(__FILE__);
  if (source_file.is_absolute()) dirs.push_back(source_file.parent_path().parent_path().parent_path() / "models");
  dirs.push_back(fs::path("models"));
  return dirs;
}

const std::vector<std::string>& dav2_encoder_names() {
  static const std::vector<std::string> names = {"vits", "vitb", "vitl", "vitg"};
  return names;
}

std::string checkpoint_filename(const std::string& encoder) { return "depth_anything_v2_" + encoder + ".pth"; }

namespace {

std::optional<fs::path> find_checkpoint(const std::string& encoder) {
  std::error_code ec;
  for (const auto& dir : model_search_dirs()) {
    const auto path = dir / checkpoint_filename(encoder);
    if (fs::is_regular_file(path, ec)) return path;
  }
  return std::nullopt;
}

std::string searched_places(const std::string& encoder) {
  std::string s;
  for (const auto& dir : model_search_dirs()) s += (s.empty() ? "" : ", ") + (dir / checkpoint_filename(encoder)).string();
  return s;
}

}  // namespace

const OptionTable<ModelOptions>& ModelOptions::table() {
  static const auto table = OptionTable<ModelOptions>().text(
      "model", &ModelOptions::model,
      "PATH to a Depth-Anything-V2 .pth | vits | vitb | vitl | vitg | heuristic. Short names are "
      "models/depth_anything_v2_<name>.pth, searched in $S3D_MODELS, then <s3d source tree>/models, then ./models. "
      "Default: the first of vits, vitb, vitl, vitg found, else heuristic",
      Need::kOptional, "MODEL");
  return table;
}

ModelChoice resolve_model(const std::string& spec_text) {
  ModelChoice choice;
  const std::optional<std::string> spec = spec_text.empty() ? std::nullopt : std::optional(spec_text);
  if (!spec) {
    for (const auto& encoder : dav2_encoder_names())
      if (auto path = find_checkpoint(encoder)) {
        choice.checkpoint = *path;
        return choice;
      }
    choice.heuristic = choice.fallback = true;
    return choice;
  }
  if (*spec == "heuristic") {
    choice.heuristic = true;
    return choice;
  }
  for (const auto& encoder : dav2_encoder_names())
    if (*spec == encoder) {
      auto path = find_checkpoint(encoder);
      if (!path)
        throw Error("--model " + encoder + ": no checkpoint found (looked for " + searched_places(encoder) +
                    "); download it as models/README.md describes, or give --model PATH");
      choice.checkpoint = *path;
      return choice;
    }
  std::error_code ec;
  if (!fs::is_regular_file(*spec, ec))
    throw Error("--model " + *spec + ": no such checkpoint file (expected a path or vits|vitb|vitl|vitg|heuristic)");
  choice.checkpoint = *spec;
  return choice;
}

}  // namespace s3d::depth_stage
