// PNG = signature, chunks (length, type, data, CRC); IHDR gives the format, the IDAT chunks
// together are one zlib stream of rows, each a filter-type byte and the filtered bytes
// (RFC 2083 / PNG spec section 9). Chunk CRCs are not checked: the zlib stream's Adler-32,
// which libdeflate verifies, covers the pixel data.
#include "imageio/png_decoder.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "imageio/png_chunks.hpp"

#if defined(S3D_HAVE_LIBDEFLATE)
#include <libdeflate.h>
#endif

namespace s3d::png {
namespace {

#if defined(S3D_HAVE_LIBDEFLATE)

inline uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return static_cast<uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// Undoes the filter of one row in place; `prev` is the previous unfiltered row (zeros for
// the first), `bpp` the bytes per pixel. Returns false for an unknown filter type.
bool unfilter_row(int type, uint8_t* row, const uint8_t* prev, size_t n, int bpp) {
  switch (type) {
    case 0: return true;
    case 1:
      for (size_t i = bpp; i < n; ++i) row[i] = static_cast<uint8_t>(row[i] + row[i - bpp]);
      return true;
    case 2:
      for (size_t i = 0; i < n; ++i) row[i] = static_cast<uint8_t>(row[i] + prev[i]);
      return true;
    case 3:
      for (int i = 0; i < bpp; ++i) row[i] = static_cast<uint8_t>(row[i] + (prev[i] >> 1));
      for (size_t i = bpp; i < n; ++i) row[i] = static_cast<uint8_t>(row[i] + ((row[i - bpp] + prev[i]) >> 1));
      return true;
    case 4:
      for (int i = 0; i < bpp; ++i) row[i] = static_cast<uint8_t>(row[i] + prev[i]);  // paeth(0, b, 0) = b
      for (size_t i = bpp; i < n; ++i) row[i] = static_cast<uint8_t>(row[i] + paeth(row[i - bpp], prev[i], prev[i - bpp]));
      return true;
  }
  return false;
}

struct Decompressor {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  ~Decompressor() { libdeflate_free_decompressor(d); }
};

// Per-thread buffers: the concatenated IDAT data, its inflated rows.
struct Buffers {
  std::vector<uint8_t> idat, rows;
};

#endif  // S3D_HAVE_LIBDEFLATE

}  // namespace

bool decode_fast(const uint8_t* data, size_t size, int flags, cv::Mat& image) {
#if defined(S3D_HAVE_LIBDEFLATE)
  thread_local Buffers buf;
  thread_local Decompressor inflater;
  const auto header = read_header(data, size);
  if (!inflater.d || !header) return false;
  const uint32_t w = header->width, h = header->height;
  const int bits = header->bit_depth, colour = header->colour_type;
  const bool rgb8 = colour == 2 && bits == 8, gray = colour == 0 && (bits == 8 || bits == 16);
  if (header->interlace != 0 || !(rgb8 || gray) || w == 0 || h == 0 || w > (1u << 16) || h > (1u << 16)) return false;
  const bool colour_out = flags == cv::IMREAD_COLOR;
  if (flags != cv::IMREAD_COLOR && flags != cv::IMREAD_UNCHANGED) return false;
  if (colour_out && bits == 16) return false;  // OpenCV scales 16-bit to 8; leave it that

  buf.idat.clear();
  bool transparency = false;
  const bool whole = for_each_chunk(data, size, [&](const Chunk& chunk) {
    if (chunk.type == "IDAT") buf.idat.insert(buf.idat.end(), chunk.data, chunk.data + chunk.length);
    if (chunk.type == "tRNS") transparency = true;  // OpenCV may add alpha
    return !transparency;
  });
  if (!whole || transparency) return false;
  const int channels = rgb8 ? 3 : 1, bpp = channels * bits / 8;
  const size_t row_bytes = size_t(w) * bpp;
  buf.rows.resize((row_bytes + 1) * h);
  if (libdeflate_zlib_decompress(inflater.d, buf.idat.data(), buf.idat.size(), buf.rows.data(), buf.rows.size(), nullptr) !=
      LIBDEFLATE_SUCCESS)
    return false;

  image.create(static_cast<int>(h), static_cast<int>(w),
               colour_out ? CV_8UC3 : CV_MAKETYPE(bits == 16 ? CV_16U : CV_8U, channels));
  std::vector<uint8_t> zeros(row_bytes, 0);
  const uint8_t* prev = zeros.data();
  for (uint32_t y = 0; y < h; ++y) {
    uint8_t* row = buf.rows.data() + (row_bytes + 1) * y + 1;
    if (!unfilter_row(row[-1], row, prev, row_bytes, bpp)) return false;
    prev = row;
    uint8_t* out = image.ptr<uint8_t>(static_cast<int>(y));
    if (bits == 16) {  // PNG stores big-endian samples
      for (uint32_t x = 0; x < w; ++x) {
        uint16_t v;
        std::memcpy(&v, row + 2 * x, 2);
        v = static_cast<uint16_t>(v << 8 | v >> 8);
        std::memcpy(out + 2 * x, &v, 2);
      }
    } else if (gray && colour_out) {  // gray -> BGR
      for (uint32_t x = 0; x < w; ++x) out[3 * x] = out[3 * x + 1] = out[3 * x + 2] = row[x];
    } else {
      std::memcpy(out, row, row_bytes);
    }
  }
  if (rgb8) cv::cvtColor(image, image, cv::COLOR_RGB2BGR);  // vectorized by OpenCV
  return true;
#else
  (void)data, (void)size, (void)flags, (void)image;
  return false;
#endif
}

}  // namespace s3d::png
