// The stereo vocabulary, shared by s3d-pack, s3d-parallax --pack and s3d-encode (and the
// pipeline): how the two eyes are arranged in one frame (layout) and which comes first (eye
// order); the packed frame's size; the tags containers carry (Matroska StereoMode, MP4 st3d,
// the spherical projection of VR180); and the file name suffixes 3D and VR players look for.
// One table, so packing and labelling can never disagree.
#pragma once
#include <cstdint>
#include <filesystem>
#include <opencv2/core.hpp>
#include <optional>
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
  kCrossEyed,       // cross-eyed: full eyes side by side, the RIGHT eye on the left (free viewing) (2W x H)
  kVr180,           // vr180: each eye re-projected onto a 180x180 degree equirectangular half sphere,
                    //   left eye on the left (2E x E; pack/vr180_projection.hpp)
  kRgbd,            // rgbd: the colour frame and its depth map (gray, near = white) side by side (2W x H)
  kHalfRgbd,        // half-rgbd: the same, each squeezed to half width (W x H)
};

enum class EyeOrder {
  kLeftFirst,   // left eye on the left / on top (parallel viewing, 3D TVs); red = left for anaglyphs
  kRightFirst,  // right eye first (cross-eyed viewing); for anaglyphs, the eyes' colours swap
};

// hsbs fsbs hou fou anaglyph anaglyph-color cross-eyed vr180 rgbd half-rgbd
const EnumNames<Layout>& layout_names();
const EnumNames<EyeOrder>& eye_order_names();  // left-first right-first

struct StereoFormat {
  Layout layout = Layout::kHalfSideBySide;
  EyeOrder order = EyeOrder::kLeftFirst;
};

bool is_anaglyph(Layout layout);
bool is_side_by_side(Layout layout);  // hsbs, fsbs, cross-eyed, vr180 (the eyes side by side)
bool is_over_under(Layout layout);    // hou, fou
bool is_rgbd(Layout layout);          // rgbd, half-rgbd: colour + depth, made where the depth is (s3d-parallax)
// Which eye is on the left / on top (red for anaglyphs): the right one for right-first, and
// always for cross-eyed.
bool right_eye_first(const StereoFormat& format);

// The packed frame size for eyes of `eye` size (vr180: `eye` is one equirectangular eye,
// E x E; rgbd: `eye` is the frame, whose depth is the second picture).
cv::Size packed_size(Layout layout, cv::Size eye);

// ffmpeg's Matroska `stereo_mode` value (StereoMode 1, 11, 3, 2): left_right, right_left,
// top_bottom, bottom_top. StereoMode does not say half or full: players tell by the aspect
// ratio. "" for anaglyphs (they are watched as a 2D picture through glasses) and for rgbd
// (one view and its depth: no stereo pair).
std::string matroska_stereo_mode(const StereoFormat& format);

// The same for MP4, whose `st3d` box (Google's spherical video V2) says only top-bottom or
// left-right with the LEFT eye first: "" where MP4 cannot say it truthfully (right-first,
// cross-eyed, anaglyph, rgbd) — such a file is better untagged than tagged with the eyes swapped.
std::string mp4_stereo_mode(const StereoFormat& format);

// The projection bounds of an equirectangular picture (Spherical Video V2 `equi` box,
// Matroska ProjectionPrivate): how much of the full 360x180 degree sphere is cut away on
// each side, as 0.32 fixed-point fractions of the picture's width / height; they apply to
// each eye after the frame is split by its stereo mode.
struct EquirectBounds {
  uint32_t top = 0, bottom = 0, left = 0, right = 0;
  bool operator==(const EquirectBounds& o) const {
    return top == o.top && bottom == o.bottom && left == o.left && right == o.right;
  }
};
// vr180: each eye covers the front half sphere, 180x180 degrees: a quarter of the width cut
// away left and right (0x40000000 each), nothing at the top and bottom. Nothing for the other
// layouts (flat pictures).
std::optional<EquirectBounds> equirect_bounds(const StereoFormat& format);

// The file name suffix 3D players look for: _LR_3dh (half SBS: both tokens players use),
// _LRF_Full_SBS, _TB (half over-under), _TBF_fulltb; right-first swaps the letters (_RL_3dh,
// _RLF_Full_SBS, _BT, _BTF_fulltb); cross-eyed is full SBS right eye first (_RLF_Full_SBS);
// vr180 _180x180_3dh_LR (Skybox reads 180x180 + 3dh, DeoVR, HereSphere and others 180 + LR;
// never "VR180", which Skybox takes for fisheye); none for anaglyphs (they play as ordinary
// video) and rgbd (depth players ask for the layout on import).
std::string file_suffix(const StereoFormat& format);

// "film.mkv" -> "film_LR_3dh.mkv"; unchanged when the name already ends with the suffix.
std::filesystem::path with_file_suffix(const std::filesystem::path& path, const StereoFormat& format);

// The two options every tool that names a stereo format takes: the layout (called
// `layout_option`: s3d-pack's --format, s3d-parallax's --pack, s3d-encode's --layout) and
// --order; --order right-first is refused for the layouts whose order is fixed (cross-eyed,
// vr180, rgbd, half-rgbd).
const OptionTable<StereoFormat>& format_options(const std::string& layout_option);

// "hsbs, left-first" (anaglyphs: "anaglyph, left-first"); the layouts of a fixed eye order
// by their name alone ("vr180", "cross-eyed", "rgbd").
std::string describe(const StereoFormat& format);

}  // namespace s3d::stereo
