#include "parallax/view_geometry.hpp"

#include <opencv2/imgproc.hpp>

#include "common/errors.hpp"

namespace s3d::parallax {

Method parse_method(const std::string& text, const std::string& option) {
  if (text == "forward") return Method::kForward;
  if (text == "remap") return Method::kRemap;
  if (text == "shift") return Method::kShift;
  throw UsageError(option + ": expected forward, remap or shift, got '" + text + "'");
}

std::string method_name(Method method) {
  switch (method) {
    case Method::kForward: return "forward";
    case Method::kRemap: return "remap";
    case Method::kShift: return "shift";
  }
  return "?";
}

Eyes parse_eyes(const std::string& text, const std::string& option) {
  if (text == "both") return Eyes::kBoth;
  if (text == "left") return Eyes::kLeft;
  if (text == "right") return Eyes::kRight;
  throw UsageError(option + ": expected both, left or right, got '" + text + "'");
}

int parse_interpolation(const std::string& text, const std::string& option) {
  if (text == "nearest") return cv::INTER_NEAREST;
  if (text == "linear") return cv::INTER_LINEAR;
  if (text == "cubic") return cv::INTER_CUBIC;
  if (text == "lanczos4") return cv::INTER_LANCZOS4;
  throw UsageError(option + ": expected nearest, linear, cubic or lanczos4, got '" + text + "'");
}

ViewShift eye_shift(Eye eye, Eyes synthesize, float parallax, float convergence) {
  const float per_eye = synthesize == Eyes::kBoth ? parallax : 2 * parallax;
  return {eye == Eye::kLeft ? per_eye : -per_eye, convergence};
}

}  // namespace s3d::parallax
