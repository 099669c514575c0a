// Frame images on disk: the one place s3d decodes and encodes image files (PNG and JPEG, and
// what else OpenCV reads), with errors that name the file. PNGs take s3d's fast paths where
// they apply (png_decoder.hpp, png_encoder.hpp); sizes can be read from the header alone.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>

namespace s3d {

namespace fs = std::filesystem;

// How to decode (cv::IMREAD_* values, so that callers need no codec header).
constexpr int kReadColor = 1;       // cv::IMREAD_COLOR: 8-bit BGR
constexpr int kReadUnchanged = -1;  // cv::IMREAD_UNCHANGED: as stored (16-bit gray stays 16-bit)

// The file decoded as by cv::imread with `flags` (default 8-bit BGR); Error naming the file
// when it is missing or undecodable.
cv::Mat read_image(const fs::path& path, int flags = kReadColor);
// The same into `image`, reusing its memory when its size and type fit (keep one per worker
// thread: fresh 1080p buffers cost a page fault per 4 KiB).
void read_image_into(const fs::path& path, int flags, cv::Mat& image);

// What a file holds, from its header alone (PNG and baseline/progressive JPEG), else from a
// full decode. Throws Error naming the file.
struct ImageHeader {
  cv::Size size;
  int depth = 0;     // CV_8U or CV_16U (what kReadUnchanged gives)
  int channels = 0;  // 1 gray, 2 gray + alpha, 3 colour, 4 colour + alpha
};
ImageHeader read_image_header(const fs::path& path);
// Its width and height.
cv::Size read_image_size(const fs::path& path);

struct ImageWriteOptions {
  int jpeg_quality = 95;  // JPEG quality, 1..100 (default 95)
  // PNG zlib level 0..9, or -1 (default) for OpenCV's speed preset (level 1, RLE, Sub filter):
  // ~3x faster than an explicit level (which turns on adaptive filtering) at ~10% larger files.
  int png_compression = -1;
  // PNGs: s3d's literal-only encoder (png_encoder.hpp), several times faster than libpng,
  // for 8-bit gray/BGR and 16-bit gray (depth); files a little larger. Other types ignore it.
  bool fast_png = false;
};

// Encodes `image` by the extension of `path` (.png, .jpg, ...) and writes it atomically
// (atomic_file.hpp). Throws Error naming the file.
void write_image_atomic(const fs::path& path, const cv::Mat& image, const ImageWriteOptions& options = {});

}  // namespace s3d
