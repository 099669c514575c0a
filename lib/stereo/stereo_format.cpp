#include "stereo/stereo_format.hpp"

#include <map>

namespace s3d::stereo {

const EnumNames<Layout>& layout_names() {
  static const EnumNames<Layout> names = {
      {Layout::kHalfSideBySide, "hsbs"}, {Layout::kFullSideBySide, "fsbs"}, {Layout::kHalfOverUnder, "hou"},
      {Layout::kFullOverUnder, "fou"},   {Layout::kAnaglyph, "anaglyph"},   {Layout::kAnaglyphColor, "anaglyph-color"},
      {Layout::kCrossEyed, "cross-eyed"}, {Layout::kVr180, "vr180"},     {Layout::kRgbd, "rgbd"},
      {Layout::kHalfRgbd, "half-rgbd"},
  };
  return names;
}

const EnumNames<EyeOrder>& eye_order_names() {
  static const EnumNames<EyeOrder> names = {{EyeOrder::kLeftFirst, "left-first"}, {EyeOrder::kRightFirst, "right-first"}};
  return names;
}

bool is_anaglyph(Layout layout) { return layout == Layout::kAnaglyph || layout == Layout::kAnaglyphColor; }
bool is_side_by_side(Layout layout) {
  return layout == Layout::kHalfSideBySide || layout == Layout::kFullSideBySide || layout == Layout::kCrossEyed ||
         layout == Layout::kVr180;
}
bool is_over_under(Layout layout) { return layout == Layout::kHalfOverUnder || layout == Layout::kFullOverUnder; }
bool is_rgbd(Layout layout) { return layout == Layout::kRgbd || layout == Layout::kHalfRgbd; }

bool right_eye_first(const StereoFormat& f) {
  return f.order == EyeOrder::kRightFirst || f.layout == Layout::kCrossEyed;
}

namespace {

// The layouts whose eye order is part of their definition.
bool fixed_order(Layout layout) { return layout == Layout::kCrossEyed || layout == Layout::kVr180 || is_rgbd(layout); }

}  // namespace

cv::Size packed_size(Layout layout, cv::Size eye) {
  switch (layout) {
    case Layout::kFullSideBySide:
    case Layout::kCrossEyed:
    case Layout::kVr180:
    case Layout::kRgbd: return {2 * eye.width, eye.height};
    case Layout::kFullOverUnder: return {eye.width, 2 * eye.height};
    default: return eye;
  }
}

std::string matroska_stereo_mode(const StereoFormat& f) {
  if (is_anaglyph(f.layout) || is_rgbd(f.layout)) return "";
  const bool left = !right_eye_first(f);
  if (is_side_by_side(f.layout)) return left ? "left_right" : "right_left";
  if (is_over_under(f.layout)) return left ? "top_bottom" : "bottom_top";
  return "";
}

std::string mp4_stereo_mode(const StereoFormat& f) {
  return right_eye_first(f) ? std::string() : matroska_stereo_mode(f);
}

std::optional<EquirectBounds> equirect_bounds(const StereoFormat& f) {
  if (f.layout != Layout::kVr180) return std::nullopt;
  EquirectBounds b;
  b.left = b.right = 0x40000000u;  // 90 of 360 degrees on each side
  return b;
}

std::string file_suffix(const StereoFormat& f) {
  const bool left = !right_eye_first(f);
  switch (f.layout) {
    case Layout::kHalfSideBySide: return left ? "_LR_3dh" : "_RL_3dh";
    case Layout::kFullSideBySide:
    case Layout::kCrossEyed: return left ? "_LRF_Full_SBS" : "_RLF_Full_SBS";
    case Layout::kHalfOverUnder: return left ? "_TB" : "_BT";
    case Layout::kFullOverUnder: return left ? "_TBF_fulltb" : "_BTF_fulltb";
    case Layout::kVr180: return "_180x180_3dh_LR";
    case Layout::kAnaglyph:
    case Layout::kAnaglyphColor:
    case Layout::kRgbd:
    case Layout::kHalfRgbd: return "";
  }
  return "";
}

std::filesystem::path with_file_suffix(const std::filesystem::path& path, const StereoFormat& format) {
  const std::string suffix = file_suffix(format), stem = path.stem().string();
  if (suffix.empty() || (stem.size() >= suffix.size() && stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0))
    return path;
  return path.parent_path() / (stem + suffix + path.extension().string());
}

const OptionTable<StereoFormat>& format_options(const std::string& layout_option) {
  static std::map<std::string, OptionTable<StereoFormat>> tables;  // one per name; built at start-up, never changed after
  auto it = tables.find(layout_option);
  if (it == tables.end()) {
    auto table = OptionTable<StereoFormat>()
                     .choice(layout_option, &StereoFormat::layout, layout_names(),
                             "Frame packing: hsbs (half side-by-side, WxH) | fsbs (full, 2WxH) | hou (half over-under, "
                             "WxH) | fou (full, Wx2H) | anaglyph (red-cyan, Dubois) | anaglyph-color (plain red-cyan) | "
                             "cross-eyed (full, right eye on the left, for free viewing) | vr180 (each eye on a 180x180 "
                             "degree equirectangular half sphere, side by side, tagged for VR players; --vr-fov) | rgbd "
                             "(colour + depth, near = white, 2WxH) | half-rgbd (the same squeezed, WxH; rgbd: "
                             "s3d-parallax only)")
                     .choice("order", &StereoFormat::order, eye_order_names(),
                             "Which eye comes first: left-first (parallel viewing, 3D TVs) | right-first (cross-eyed "
                             "viewing; swaps anaglyph colours; tagged right_left / bottom_top)")
                     .also_check([layout_option](const StereoFormat& f) {
                       if (f.order == EyeOrder::kRightFirst && fixed_order(f.layout))
                         throw UsageError("--order right-first: --" + layout_option + " " +
                                          layout_names().name(f.layout) +
                                          " has a fixed eye order (cross-eyed: right eye first; vr180: left eye "
                                          "first; rgbd: colour first); leave --order out");
                     });
    it = tables.emplace(layout_option, std::move(table)).first;
  }
  return it->second;
}

std::string describe(const StereoFormat& f) {
  if (fixed_order(f.layout)) return layout_names().name(f.layout);
  return layout_names().name(f.layout) + ", " + eye_order_names().name(f.order);
}

}  // namespace s3d::stereo
