// How one left/right pair becomes one packed 3D frame (layouts: stereo/stereo_format.hpp).
#pragma once
#include <opencv2/core.hpp>
#include <string>
#include <string_view>

#include "pack/vr180_projection.hpp"
#include "stereo/stereo_format.hpp"

namespace s3d::pack {

// Centres `eye` on a black canvas of `canvas` size (letterbox/pillarbox, never scales).
// Throws Error if the eye is larger than the canvas.
cv::Mat pad_to_canvas(const cv::Mat& eye, cv::Size canvas);

// Red-cyan anaglyph of two 8-bit BGR eyes (red from `first`); `dubois` = least-squares
// matrices, else plain colour.
cv::Mat make_anaglyph(const cv::Mat& first, const cv::Mat& second, bool dubois);

// Packs one pair (8-bit BGR, equal sizes) into `format`. Half layouts downscale with
// INTER_AREA; odd sizes give the second eye the extra column or row. cross-eyed puts `right`
// on the left; vr180 re-projects each eye onto its half sphere (`vr`); for rgbd and
// half-rgbd `left` is the colour frame and `right` its depth as a picture (parallax/rgbd_view.hpp).
cv::Mat pack_pair(const cv::Mat& left, const cv::Mat& right, const stereo::StereoFormat& format,
                  const Vr180Options& vr = {});

// UsageError for a combination no packing can do: --pad with vr180 (its size is --vr-size;
// a canvas around the picture would change its field of view). `option` names the layout's
// option (--format, --pack).
void check_packing(const stereo::StereoFormat& format, bool padded, const std::string& option);

// The size pack_pair gives pairs of `eye` size.
cv::Size packed_pair_size(const stereo::StereoFormat& format, cv::Size eye, const Vr180Options& vr = {});

// `src` area-averaged into `dst`'s size (its memory: `dst` may be a region of a larger
// picture). An exact 2:1 along one axis takes the fast bilinear path (the mean of pixel pairs).
void squeeze_into(const cv::Mat& src, cv::Mat dst);
// "WIDTHxHEIGHT" with positive integers (e.g. 1920x1080); UsageError naming `option`.
cv::Size parse_size(std::string_view text, std::string_view option);

}  // namespace s3d::pack
