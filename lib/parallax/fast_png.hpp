// A fast PNG encoder for intermediate frames: every row SUB-filtered, the whole image one
// deflate block of literals coded with a Huffman code built for it (no match search, which
// is what makes zlib slow). Several times faster than libpng at its fastest setting, files a
// little larger than zlib level 1 on grainy video frames; any PNG decoder reads them.
#pragma once
#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

namespace s3d::parallax {

// Encodes an 8-bit image (CV_8UC1 gray, CV_8UC3 BGR) as PNG bytes.
std::vector<uint8_t> encode_png_fast(const cv::Mat& image);

}  // namespace s3d::parallax
