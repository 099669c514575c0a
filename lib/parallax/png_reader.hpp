// Decoding the frame and depth PNGs s3d-parallax reads for every frame. With libdeflate
// (S3D_HAVE_LIBDEFLATE) the common formats — non-interlaced 8-bit RGB/gray and 16-bit gray —
// are decoded here: libdeflate inflates ~2-3x faster than zlib, which was most of libpng's
// time. Everything else, and every build without libdeflate, goes through OpenCV.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>

namespace s3d::parallax {

namespace fs = std::filesystem;

// Reads `path` as s3d::read_image(path, flags) does — flags cv::IMREAD_COLOR (8-bit BGR) or
// cv::IMREAD_UNCHANGED — into `image`, whose memory is reused when its size and type fit
// (keep one per worker thread). Throws Error naming the file when it is missing or undecodable.
void read_image_into(const fs::path& path, int flags, cv::Mat& image);

}  // namespace s3d::parallax
