#include "media/stereo_layout.hpp"

#include "common/errors.hpp"

namespace s3d::media {

Layout parse_layout(std::string_view name) {
  if (name == "hsbs") return Layout::kHalfSideBySide;
  if (name == "fsbs") return Layout::kFullSideBySide;
  if (name == "hou") return Layout::kHalfOverUnder;
  if (name == "fou") return Layout::kFullOverUnder;
  // s3d-pack's two anaglyph flavours are both red-cyan.
  if (name == "anaglyph" || name == "anaglyph-color") return Layout::kAnaglyph;
  throw UsageError("--layout: expected hsbs, fsbs, hou, fou, anaglyph or anaglyph-color, got '" + std::string(name) + "'");
}

std::string layout_name(Layout layout) {
  switch (layout) {
    case Layout::kHalfSideBySide: return "hsbs";
    case Layout::kFullSideBySide: return "fsbs";
    case Layout::kHalfOverUnder: return "hou";
    case Layout::kFullOverUnder: return "fou";
    case Layout::kAnaglyph: return "anaglyph";
  }
  return "?";
}

std::string matroska_stereo_mode(Layout layout) {
  switch (layout) {
    case Layout::kHalfSideBySide:
    case Layout::kFullSideBySide: return "left_right";
    case Layout::kHalfOverUnder:
    case Layout::kFullOverUnder: return "top_bottom";
    case Layout::kAnaglyph: return "";
  }
  return "";
}

std::string layout_suffix(Layout layout) {
  switch (layout) {
    case Layout::kHalfSideBySide: return "_LR_3dh";
    case Layout::kFullSideBySide: return "_LRF_Full_SBS";
    case Layout::kHalfOverUnder: return "_TB";
    case Layout::kFullOverUnder: return "_TBF_fulltb";
    case Layout::kAnaglyph: return "";
  }
  return "";
}

std::filesystem::path with_layout_suffix(const std::filesystem::path& path, Layout layout) {
  const std::string suffix = layout_suffix(layout), stem = path.stem().string();
  if (suffix.empty() || (stem.size() >= suffix.size() && stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0))
    return path;
  return path.parent_path() / (stem + suffix + path.extension().string());
}

}  // namespace s3d::media
