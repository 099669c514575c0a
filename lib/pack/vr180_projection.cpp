#include "pack/vr180_projection.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <opencv2/imgproc.hpp>

namespace s3d::pack {
namespace {

constexpr double kPi = 3.14159265358979323846;

// The fixed-point sampling maps of one geometry (what cv::remap reads fastest).
struct Maps {
  cv::Size eye;
  double fov = 0;
  int size = 0;
  cv::Mat xy, fraction;  // CV_16SC2, CV_16UC1
};

std::shared_ptr<const Maps> build_maps(cv::Size eye, double fov, int size) {
  auto maps = std::make_shared<Maps>();
  maps->eye = eye;
  maps->fov = fov;
  maps->size = size;
  const double f = vr_focal_length(eye, fov);
  const double cx = eye.width / 2.0 - 0.5, cy = eye.height / 2.0 - 0.5;
  // A position this far outside the picture samples only the black border; kept well inside
  // the 16-bit range of the fixed-point maps (a ray near 90 degrees would overflow it).
  const float outside = -4;
  cv::Mat map(size, size, CV_32FC2);
  for (int j = 0; j < size; ++j) {
    const double lat = kPi * (0.5 - (j + 0.5) / size);
    auto* row = map.ptr<cv::Vec2f>(j);
    for (int i = 0; i < size; ++i) {
      const double lon = kPi * ((i + 0.5) / size - 0.5);
      const double x = cx + f * std::tan(lon), y = cy - f * std::tan(lat) / std::cos(lon);
      const bool inside = x > -2 && x < eye.width + 1 && y > -2 && y < eye.height + 1;
      row[i] = inside ? cv::Vec2f(static_cast<float>(x), static_cast<float>(y)) : cv::Vec2f(outside, outside);
    }
  }
  cv::convertMaps(map, cv::noArray(), maps->xy, maps->fraction, CV_16SC2);
  return maps;
}

// The maps of the last geometry asked for (a run has one), shared by every thread.
std::shared_ptr<const Maps> maps_for(cv::Size eye, double fov, int size) {
  static std::mutex mutex;
  static std::shared_ptr<const Maps> last;
  std::lock_guard<std::mutex> lock(mutex);
  if (!last || last->eye != eye || last->fov != fov || last->size != size) last = build_maps(eye, fov, size);
  return last;
}

}  // namespace

const OptionTable<Vr180Options>& Vr180Options::table() {
  static const auto table =
      OptionTable<Vr180Options>()
          .number("vr-fov", &Vr180Options::fov, Bounds{10, 170},
                  "vr180: horizontal field of view of the picture on the half sphere, degrees (the vertical one "
                  "follows from the aspect ratio; black around it)",
                  "DEG")
          .number("vr-size", &Vr180Options::eye_size, Bounds{0, 8192},
                  "vr180: each eye's equirectangular image is N x N px (both eyes 2N x N); 0 = keep the picture's "
                  "centre resolution, at most 2880 (5760x2880, what standalone headsets decode)");
  return table;
}

double vr_focal_length(cv::Size eye, double fov_degrees) {
  return eye.width / 2.0 / std::tan(fov_degrees * kPi / 360.0);
}

int equirect_eye_size(const Vr180Options& options, cv::Size eye) {
  if (options.eye_size > 0) return options.eye_size;
  const int keep = 2 * static_cast<int>(std::ceil(kPi * vr_focal_length(eye, options.fov) / 2));
  return std::max(2, std::min(kMaxAutoVrEyeSize, keep));
}

void project_to_equirect(const cv::Mat& eye, const Vr180Options& options, cv::Mat dst) {
  const int size = equirect_eye_size(options, eye.size());
  CV_Assert(dst.rows == size && dst.cols == size && dst.type() == eye.type());
  const auto maps = maps_for(eye.size(), options.fov, size);
  cv::remap(eye, dst, maps->xy, maps->fraction, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
}

cv::Mat project_to_equirect(const cv::Mat& eye, const Vr180Options& options) {
  const int size = equirect_eye_size(options, eye.size());
  cv::Mat out(size, size, eye.type());
  project_to_equirect(eye, options, out);
  return out;
}

}  // namespace s3d::pack
