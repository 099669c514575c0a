#include "pack/pack_pair.hpp"

#include <charconv>
#include <opencv2/imgproc.hpp>

#include "core/errors.hpp"

namespace s3d::pack {
namespace {

// Dubois red-cyan least-squares matrices, rows = output R, G, B; columns = input R, G, B.
// Applied to the 8-bit (gamma-encoded) values, as players and ffmpeg's stereo3d (arcd) do.
constexpr float kDuboisLeft[3][3] = {{0.456f, 0.500f, 0.176f}, {-0.040f, -0.038f, -0.016f}, {-0.015f, -0.021f, -0.005f}};
constexpr float kDuboisRight[3][3] = {{-0.043f, -0.088f, -0.002f}, {0.378f, 0.734f, -0.018f}, {-0.072f, -0.113f, 1.226f}};

// 16K: larger than any video frame, small enough that a typo is not an out-of-memory.
constexpr int kMaxSide = 16384;

}  // namespace

// An exact 2:1 along one axis — every even size — is
// the mean of pixel pairs, which bilinear sampling at 2:1 computes exactly (it samples
// halfway between the two) at a quarter of INTER_AREA's cost (~3 vs ~11 ms per 1080p eye);
// other ratios take INTER_AREA.
void squeeze_into(const cv::Mat& src, cv::Mat dst) {
  const bool exact_half = (src.rows == dst.rows && src.cols == 2 * dst.cols) ||
                          (src.cols == dst.cols && src.rows == 2 * dst.rows);
  cv::resize(src, dst, dst.size(), 0, 0, exact_half ? cv::INTER_LINEAR : cv::INTER_AREA);
}

cv::Size parse_size(std::string_view text, std::string_view option) {
  auto bad = [&] {
    return UsageError(std::string(option) + ": expected WIDTHxHEIGHT, each 1.." + std::to_string(kMaxSide) +
                      " (e.g. 1920x1080), got '" + std::string(text) + "'");
  };
  auto x = text.find('x');
  if (x == std::string_view::npos) throw bad();
  int w = 0, h = 0;
  auto r1 = std::from_chars(text.data(), text.data() + x, w);
  auto r2 = std::from_chars(text.data() + x + 1, text.data() + text.size(), h);
  if (r1.ec != std::errc() || r1.ptr != text.data() + x || r2.ec != std::errc() ||
      r2.ptr != text.data() + text.size() || w <= 0 || h <= 0 || w > kMaxSide || h > kMaxSide)
    throw bad();
  return {w, h};
}

cv::Mat pad_to_canvas(const cv::Mat& eye, cv::Size canvas) {
  if (eye.cols > canvas.width || eye.rows > canvas.height)
    throw Error("--pad " + std::to_string(canvas.width) + "x" + std::to_string(canvas.height) + ": the frame is " +
                std::to_string(eye.cols) + "x" + std::to_string(eye.rows) + ", larger than the canvas (never scaled)");
  if (eye.size() == canvas) return eye;
  cv::Mat out(canvas, eye.type(), cv::Scalar::all(0));
  eye.copyTo(out(cv::Rect((canvas.width - eye.cols) / 2, (canvas.height - eye.rows) / 2, eye.cols, eye.rows)));
  return out;
}

cv::Mat make_anaglyph(const cv::Mat& left, const cv::Mat& right, bool dubois) {  // left = the red eye
  CV_Assert(left.type() == CV_8UC3 && right.type() == CV_8UC3 && left.size() == right.size());
  cv::Mat out(left.size(), CV_8UC3);
  for (int y = 0; y < left.rows; ++y) {
    const auto* l = left.ptr<cv::Vec3b>(y);
    const auto* r = right.ptr<cv::Vec3b>(y);
    auto* o = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < left.cols; ++x) {
      if (!dubois) {
        o[x] = cv::Vec3b(r[x][0], r[x][1], l[x][2]);  // BGR: blue+green from right, red from left
        continue;
      }
      const float lrgb[3] = {float(l[x][2]), float(l[x][1]), float(l[x][0])};
      const float rrgb[3] = {float(r[x][2]), float(r[x][1]), float(r[x][0])};
      for (int c = 0; c < 3; ++c) {
        float v = 0;
        for (int k = 0; k < 3; ++k) v += kDuboisLeft[c][k] * lrgb[k] + kDuboisRight[c][k] * rrgb[k];
        o[x][2 - c] = cv::saturate_cast<uchar>(v);
      }
    }
  }
  return out;
}

void check_packing(const stereo::StereoFormat& format, bool padded, const std::string& option) {
  if (padded && format.layout == stereo::Layout::kVr180)
    throw UsageError("--pad: " + option + " vr180 takes no canvas (the picture's size on the sphere is --vr-fov, "
                     "the equirect's --vr-size); leave --pad out");
}

cv::Size packed_pair_size(const stereo::StereoFormat& format, cv::Size eye, const Vr180Options& vr) {
  if (format.layout != stereo::Layout::kVr180) return stereo::packed_size(format.layout, eye);
  const int e = equirect_eye_size(vr, eye);
  return stereo::packed_size(format.layout, {e, e});
}

cv::Mat pack_pair(const cv::Mat& left, const cv::Mat& right, const stereo::StereoFormat& format,
                  const Vr180Options& vr) {
  using stereo::Layout;
  CV_Assert(left.size() == right.size() && left.type() == right.type());
  const bool right_first = stereo::right_eye_first(format);
  const cv::Mat& first = right_first ? right : left;
  const cv::Mat& second = right_first ? left : right;
  const int w = left.cols, h = left.rows;
  cv::Mat out;
  switch (format.layout) {
    case Layout::kFullSideBySide:
    case Layout::kCrossEyed:
    case Layout::kRgbd: cv::hconcat(first, second, out); break;
    case Layout::kFullOverUnder: cv::vconcat(first, second, out); break;
    case Layout::kHalfSideBySide:
    case Layout::kHalfRgbd: {
      out.create(h, w, left.type());
      const int w1 = w / 2;  // odd widths: the second eye gets the extra column
      squeeze_into(first, out(cv::Rect(0, 0, w1, h)));
      squeeze_into(second, out(cv::Rect(w1, 0, w - w1, h)));
      break;
    }
    case Layout::kHalfOverUnder: {
      out.create(h, w, left.type());
      const int h1 = h / 2;
      squeeze_into(first, out(cv::Rect(0, 0, w, h1)));
      squeeze_into(second, out(cv::Rect(0, h1, w, h - h1)));
      break;
    }
    case Layout::kVr180: {
      const int e = equirect_eye_size(vr, left.size());
      out.create(e, 2 * e, left.type());
      project_to_equirect(first, vr, out(cv::Rect(0, 0, e, e)));
      project_to_equirect(second, vr, out(cv::Rect(e, 0, e, e)));
      break;
    }
    case Layout::kAnaglyph: out = make_anaglyph(first, second, true); break;
    case Layout::kAnaglyphColor: out = make_anaglyph(first, second, false); break;
  }
  return out;
}

}  // namespace s3d::pack
