// VR180: an eye view (a rectilinear, pinhole picture) re-projected onto the front half of a
// sphere, stored as a 180x180 degree equirectangular image, the form VR players read
// (Spherical Video V2 equirectangular with bounds: stereo/stereo_format.hpp equirect_bounds).
//
// The picture is centred straight ahead, `--vr-fov` degrees wide; its vertical field of view
// follows from its aspect ratio (2 atan(H/2 / f)); outside it the sphere is black.
// Geometry (pixel centres at integer coordinates, x right, y down, z ahead):
//   focal length   f = (W / 2) / tan(fov / 2) px
//   equirect pixel (i, j) of E x E: longitude lon = pi ((i + 0.5) / E - 0.5), latitude
//                  lat = pi (0.5 - (j + 0.5) / E) (up positive); its ray
//                  (cos lat sin lon, -sin lat, cos lat cos lon)
//   source pixel   x = W/2 - 0.5 + f tan lon,  y = H/2 - 0.5 - f tan lat / cos lon
// sampled bilinearly (cv::remap), black outside the picture.
#pragma once
#include <opencv2/core.hpp>

#include "core/option_table.hpp"

namespace s3d::pack {

struct Vr180Options {
  double fov = 90;    // --vr-fov: horizontal field of view of the picture on the sphere, degrees, 10..170
  int eye_size = 0;   // --vr-size: each eye's equirect image, N x N px; 0 = auto (equirect_eye_size)

  // --vr-fov, --vr-size.
  static const OptionTable<Vr180Options>& table();
};

// The largest automatic eye size: 5760x2880 for both eyes, what standalone headsets decode.
constexpr int kMaxAutoVrEyeSize = 2880;

// The pinhole focal length in px of a picture `eye` wide at `fov_degrees`.
double vr_focal_length(cv::Size eye, double fov_degrees);

// Each eye's equirect size E (E x E) for pictures of `eye` size: options.eye_size, or for 0
// the size that keeps the picture's centre resolution (pi f px over 180 degrees, rounded up
// to even), at most kMaxAutoVrEyeSize.
int equirect_eye_size(const Vr180Options& options, cv::Size eye);

// `eye` (CV_8UC1/3) re-projected into `dst` (E x E, `eye`'s type; its memory: `dst` may be a
// region of a larger picture). The sampling maps are computed once per geometry and shared
// between threads.
void project_to_equirect(const cv::Mat& eye, const Vr180Options& options, cv::Mat dst);
cv::Mat project_to_equirect(const cv::Mat& eye, const Vr180Options& options);

}  // namespace s3d::pack
