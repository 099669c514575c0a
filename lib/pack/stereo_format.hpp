// Stereo frame layouts and how one left/right pair becomes one packed frame.
#pragma once
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace s3d::pack {

enum class Format {
  kHalfSideBySide,  // hsbs: each eye squeezed to half width, side by side (W x H)
  kFullSideBySide,  // fsbs: full eyes side by side (2W x H)
  kHalfOverUnder,   // hou: each eye squeezed to half height, stacked (W x H)
  kFullOverUnder,   // fou: full eyes stacked (W x 2H)
  kAnaglyph,        // anaglyph: red-cyan, Dubois least-squares matrices (W x H)
  kAnaglyphColor,   // anaglyph-color: red channel from the left eye, green+blue from the right
};

enum class Order {
  kLeftFirst,   // left eye on the left / top (parallel viewing, 3D TVs)
  kRightFirst,  // right eye first (cross-eyed viewing); for anaglyphs: swaps the eyes' colours
};

Format parse_format(std::string_view name);   // hsbs|fsbs|hou|fou|anaglyph|anaglyph-color; UsageError
std::string format_name(Format format);
Order parse_order(std::string_view name);     // left-first|right-first; UsageError
cv::Size parse_size(std::string_view text, std::string_view option);  // "WxH"; UsageError

// The packed frame size for eyes of `eye` size.
cv::Size packed_size(Format format, cv::Size eye);

// Centres `eye` on a black canvas of `canvas` size (letterbox/pillarbox, never scales).
// Throws Error if the eye is larger than the canvas.
cv::Mat pad_to_canvas(const cv::Mat& eye, cv::Size canvas);

// Red-cyan anaglyph of two 8-bit BGR eyes; `dubois` = least-squares matrices, else plain colour.
cv::Mat make_anaglyph(const cv::Mat& left, const cv::Mat& right, bool dubois);

// Packs one pair (8-bit BGR, equal sizes). Half formats downscale with INTER_AREA.
cv::Mat pack_pair(const cv::Mat& left, const cv::Mat& right, Format format, Order order);

}  // namespace s3d::pack
