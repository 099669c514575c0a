// Reading and writing frame images with errors that name the file.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

namespace s3d {

namespace fs = std::filesystem;

// cv::imread with an Error naming the file when it is missing or undecodable.
// `flags` are cv::IMREAD_* flags (default: 8-bit BGR).
cv::Mat read_image(const fs::path& path, int flags = 1 /* cv::IMREAD_COLOR */);

// Width and height from the file header alone (PNG and baseline/progressive JPEG),
// falling back to a full decode for other formats. Throws Error naming the file.
cv::Size read_image_size(const fs::path& path);

struct ImageWriteOptions {
  int jpeg_quality = 95;     // JPEG quality, 1..100 (default 95)
  // zlib level 0..9, or -1 (default) for OpenCV's speed preset (level 1, RLE, Sub filter):
  // ~3x faster than an explicit level (which turns on adaptive filtering) at ~10% larger
  // files — right for intermediate frames that are deleted after packing.
  int png_compression = -1;
};

// Encodes `image` by the extension of `path` (.png, .jpg, ...) and writes it atomically.
void write_image_atomic(const fs::path& path, const cv::Mat& image, const ImageWriteOptions& options = {});

}  // namespace s3d
