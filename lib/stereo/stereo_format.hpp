// The stereo vocabulary, shared by s3d-pack and s3d-encode (and the pipeline): how the two
// eyes are arranged in one frame (layout) and which comes first (eye order); the packed
// frame's size; the tags containers carry (Matroska StereoMode, MP4 st3d); and the file name
// suffixes 3D players look for. One table, so packing and labelling can never disagree.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>

#include "core/enum_names.hpp"
#include "core/option_table.hpp"

namespace s3d::stereo {

enum class Layout {
  kHalfSideBySide,  // hsbs: each eye squeezed to half width, side by side (W x H)
  kFullSideBySide,  // fsbs: full eyes side by side (2W x H)
  kHalfOverUnder,   // hou: each eye squeezed to half height, stacked (W x H)
  kFullOverUnder,   // fou: full eyes stacked (W x 2H)
  kAnaglyph,        // anaglyph: red-cyan, Dubois least-squares matrices (W x H)
  kAnaglyphColor,   // anaglyph-color: red channel from the first eye, green + blue from the second
};

enum class EyeOrder {
  kLeftFirst,   // left eye on the left / on top (parallel viewing, 3D TVs); red = left for anaglyphs
  kRightFirst,  // right eye first (cross-eyed viewing); for anaglyphs, the eyes' colours swap
};

const EnumNames<Layout>& layout_names();       // hsbs fsbs hou fou anaglyph anaglyph-color
const EnumNames<EyeOrder>& eye_order_names();  // left-first right-first

struct StereoFormat {
  Layout layout = Layout::kHalfSideBySide;
  EyeOrder order = EyeOrder::kLeftFirst;
};

bool is_anaglyph(Layout layout);
bool is_side_by_side(Layout layout);  // hsbs, fsbs
bool is_over_under(Layout layout);    // hou, fou

// The packed frame size for eyes of `eye` size.
cv::Size packed_size(Layout layout, cv::Size eye);

// ffmpeg's Matroska `stereo_mode` value (StereoMode 1, 11, 3, 2): left_right, right_left,
// top_bottom, bottom_top. StereoMode does not say half or full: players tell by the aspect
// ratio. "" for anaglyphs: they are watched as a 2D picture through glasses.
std::string matroska_stereo_mode(const StereoFormat& format);

// The same for MP4, whose `st3d` box (Google's spherical video V1) says only top-bottom or
// left-right with the LEFT eye first: "" where MP4 cannot say it truthfully (right-first,
// anaglyph) — such a file is better untagged than tagged with the eyes swapped.
std::string mp4_stereo_mode(const StereoFormat& format);

// The file name suffix 3D players look for: _LR_3dh (half SBS: both tokens players use),
// _LRF_Full_SBS, _TB (half over-under), _TBF_fulltb; right-first swaps the letters (_RL_3dh,
// _RLF_Full_SBS, _BT, _BTF_fulltb); none for anaglyphs (they play as ordinary video).
std::string file_suffix(const StereoFormat& format);

// "film.mkv" -> "film_LR_3dh.mkv"; unchanged when the name already ends with the suffix.
std::filesystem::path with_file_suffix(const std::filesystem::path& path, const StereoFormat& format);

// The two options every tool that names a stereo format takes: the layout (called
// `layout_option`: s3d-pack's --format, s3d-encode's --layout) and --order.
const OptionTable<StereoFormat>& format_options(const std::string& layout_option);

// "hsbs, left-first" (anaglyphs: "anaglyph, left-first").
std::string describe(const StereoFormat& format);

}  // namespace s3d::stereo
