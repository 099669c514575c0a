// How a packed 3D video is labelled: Matroska StereoMode, the MP4 st3d box, and the file
// name suffixes 3D players look for.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace s3d::media {

enum class Layout {
  kHalfSideBySide,  // hsbs
  kFullSideBySide,  // fsbs
  kHalfOverUnder,   // hou
  kFullOverUnder,   // fou
  kAnaglyph,        // anaglyph (red-cyan)
};

Layout parse_layout(std::string_view name);  // hsbs|fsbs|hou|fou|anaglyph|anaglyph-color; UsageError
std::string layout_name(Layout layout);

// ffmpeg's Matroska `stereo_mode` value: left_right or top_bottom (StereoMode does not say
// half or full: players tell by the aspect ratio). "" for anaglyph: it is watched as a 2D
// picture through glasses, and ffmpeg 5.1 does not write StereoMode's anaglyph values anyway.
std::string matroska_stereo_mode(Layout layout);

// The file name suffix: _LR_3dh (half SBS: both tokens players use), _LRF_Full_SBS,
// _TB (half over-under), _TBF_fulltb; none for anaglyph (it plays as ordinary video).
std::string layout_suffix(Layout layout);

// "film.mkv" -> "film_LR_3dh.mkv"; unchanged when the name already ends with the suffix.
std::filesystem::path with_layout_suffix(const std::filesystem::path& path, Layout layout);

}  // namespace s3d::media
