// Decoding the PNGs s3d reads for every frame (frames, eyes, 16-bit depth maps) fast. With
// libdeflate (S3D_HAVE_LIBDEFLATE) the formats s3d writes — non-interlaced 8-bit RGB/gray and
// 16-bit gray without transparency — are decoded here: libdeflate inflates ~2-3x faster than
// zlib, which was most of libpng's time. Everything else goes through OpenCV (image_file.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <opencv2/core.hpp>

namespace s3d::png {

// Decodes the PNG file held in `data` into `image` (memory reused when its size and type fit)
// as cv::imdecode would with `flags` cv::IMREAD_COLOR (8-bit BGR) or cv::IMREAD_UNCHANGED.
// Returns false, leaving `image` untouched, for any file or flag this decoder does not handle
// (and always without libdeflate); the caller then decodes with OpenCV.
bool decode_fast(const uint8_t* data, size_t size, int flags, cv::Mat& image);

}  // namespace s3d::png
