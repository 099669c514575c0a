// Letterbox and pillarbox bars: the constant black borders of a frame, which must stay flat
// (at screen depth) and unwarped in both eyes — a network gives them depth like any dark
// surface, and warping them slants the picture's borders.
#pragma once
#include <opencv2/core.hpp>

#include "core/enum_names.hpp"

namespace s3d::parallax {

enum class KeepBars { kAuto, kOff };
const EnumNames<KeepBars>& keep_bars_names();  // auto off

struct FrameBars {
  int top = 0, bottom = 0, left = 0, right = 0;  // px of black border on each side

  bool any() const { return top || bottom || left || right; }
};

// A border value at or below this (of 255) counts as black: compression noise on black bars.
constexpr int kBarBlackLevel = 24;
// Thinner borders than this are not bars (a dark edge line is picture).
constexpr int kMinBarSize = 2;

// The black bars of `frame` (CV_8UC1/3): whole rows from the top and the bottom, whole columns
// from the left and the right, whose every value is <= kBarBlackLevel, each side at most 40%
// of the frame and at least kMinBarSize. None for a frame that is black throughout (a fade,
// not bars). A function of the frame alone, so the output stays deterministic frame by frame.
FrameBars detect_black_bars(const cv::Mat& frame);

// `depth` with the bars of `bars` set to `screen_depth` (so they move by 0 px), into `out`.
void flatten_bars(const cv::Mat& depth, const FrameBars& bars, float screen_depth, cv::Mat& out);
// Copies the bars of `frame` into `view` (of the frame's size): content warped into them is
// covered, and they stay exactly the source's black in both eyes.
void restore_bars(const cv::Mat& frame, const FrameBars& bars, cv::Mat& view);

}  // namespace s3d::parallax
