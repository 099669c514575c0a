// The stereo geometry of s3d-parallax: which eyes are made, how far each moves content,
// and the three ways to make a view (forward warp, the article's remap and shift).
#pragma once
#include <string>

#include "core/enum_names.hpp"

namespace s3d::parallax {

enum class Method { kForward, kRemap, kShift };
enum class Eyes { kBoth, kLeft, kRight };
enum class Eye { kLeft, kRight };

const EnumNames<Method>& method_names();      // forward remap shift
const EnumNames<Eyes>& eyes_names();          // both left right
const EnumNames<int>& interpolation_names();  // nearest linear cubic lanczos4 -> cv::INTER_*

inline bool makes_eye(Eyes synthesize, Eye eye) {
  return synthesize == Eyes::kBoth || (synthesize == Eyes::kLeft) == (eye == Eye::kLeft);
}

// A view moves the content at depth d (0 = farthest, 1 = nearest) horizontally by
// dx = gain * (d - convergence) pixels, positive = to the right.
struct ViewShift {
  float gain = 0;         // px per unit of depth, signed
  float convergence = 0;  // depth on the screen plane (dx = 0), in [0, 1]

  float dx(float depth) const { return gain * (depth - convergence); }
};

// The shift of `eye`: per-eye shift s = parallax * (d - C); the left eye sees content moved
// right by s, the right eye moved left by s. When only one eye is synthesized the other is
// the untouched frame, so the synthesized one moves by the full disparity 2s.
ViewShift eye_shift(Eye eye, Eyes synthesize, float parallax, float convergence);

}  // namespace s3d::parallax
