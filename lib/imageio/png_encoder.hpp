// A fast PNG encoder for intermediate frames: every row SUB-filtered, the whole image one
// deflate block of literals coded with a Huffman code built for it (no match search, which
// is what makes zlib slow). Several times faster than libpng at its fastest setting, files a
// little larger than zlib level 1 on grainy video frames; any PNG decoder reads them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <vector>

namespace s3d {

// Memory that grows to its largest use and is then reused without being cleared: a 1080p
// frame needs ~20 MB of scratch, and fresh pages cost a page fault each.
class ScratchBytes {
 public:
  uint8_t* reserve(size_t size);  // at least `size` bytes; contents unspecified
  uint8_t* data() { return data_.get(); }

 private:
  std::unique_ptr<uint8_t[]> data_;
  size_t capacity_ = 0;
};

// Encodes 8-bit images (CV_8UC1 gray, CV_8UC3 BGR) and 16-bit gray ones (CV_16UC1: depth)
// as PNG; keep one per thread. Depth fields are no exception to the literal coding: their
// low bytes are what costs, and no match search finds them repeated (libdeflate level 1:
// 2.2 ms for a 640x180 field, 9% smaller than literals at a tenth of the time, measured).
class FastPngEncoder {
 public:
  struct Bytes {
    const uint8_t* data;
    size_t size;
  };
  // The PNG file's bytes, valid until the next call.
  Bytes encode(const cv::Mat& image);

 private:
  ScratchBytes filtered_, png_;
  cv::Mat rgb_;
};

// The same, into a new vector.
std::vector<uint8_t> encode_png_fast(const cv::Mat& image);

}  // namespace s3d
