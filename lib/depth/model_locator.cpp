#include "depth/model_locator.hpp"

#include <cstdlib>

#include "common/errors.hpp"
#include "depth/dav2_config.hpp"

namespace s3d::depth {

std::vector<fs::path> model_search_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("S3D_MODELS"); env && *env) dirs.emplace_back(env);
  // This file is lib/depth/model_locator.cpp of the source tree (CMake compiles absolute paths).
  const fs::path source_file(__FILE__);
  if (source_file.is_absolute()) dirs.push_back(source_file.parent_path().parent_path().parent_path() / "models");
  dirs.push_back(fs::path("models"));
  return dirs;
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

ModelChoice resolve_model(const std::optional<std::string>& spec) {
  ModelChoice choice;
  if (!spec) {
    for (const auto& encoder : official_encoders())
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
  for (const auto& encoder : official_encoders())
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

}  // namespace s3d::depth
