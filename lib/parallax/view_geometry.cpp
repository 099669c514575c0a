#include "parallax/view_geometry.hpp"

#include <opencv2/imgproc.hpp>
namespace s3d::parallax {

const EnumNames<Method>& method_names() {
  static const EnumNames<Method> names = {{Method::kForward, "forward"}, {Method::kRemap, "remap"}, {Method::kShift, "shift"}};
  return names;
}

const EnumNames<Eyes>& eyes_names() {
  static const EnumNames<Eyes> names = {{Eyes::kBoth, "both"}, {Eyes::kLeft, "left"}, {Eyes::kRight, "right"}};
  return names;
}

const EnumNames<int>& interpolation_names() {
  static const EnumNames<int> names = {{cv::INTER_NEAREST, "nearest"},
                                       {cv::INTER_LINEAR, "linear"},
                                       {cv::INTER_CUBIC, "cubic"},
                                       {cv::INTER_LANCZOS4, "lanczos4"}};
  return names;
}

ViewShift eye_shift(Eye eye, Eyes synthesize, float parallax, float convergence) {
  const float per_eye = synthesize == Eyes::kBoth ? parallax : 2 * parallax;
  return {eye == Eye::kLeft ? per_eye : -per_eye, convergence};
}

}  // namespace s3d::parallax
