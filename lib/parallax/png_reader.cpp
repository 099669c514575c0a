// PNG = signature, chunks (length, type, data, CRC); IHDR gives the format, the IDAT chunks
// together are one zlib stream of rows, each a filter-type byte and the filtered bytes
// (RFC 2083 / PNG spec section 9). Chunk CRCs are not checked: the zlib stream's Adler-32,
// which libdeflate verifies, covers the pixel data.
#include "parallax/png_reader.hpp"

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

#include "common/errors.hpp"
#include "common/image_io.hpp"

#if defined(S3D_HAVE_LIBDEFLATE)
#include <libdeflate.h>
#endif

namespace s3d::parallax {
namespace {

#if defined(S3D_HAVE_LIBDEFLATE)

uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

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

// Per-thread buffers: the file, its inflated rows.
struct Buffers {
  std::vector<uint8_t> file, idat, rows;
};

bool read_whole_file(const fs::path& path, std::vector<uint8_t>& out) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return false;
  if (std::fseek(f.get(), 0, SEEK_END) != 0) return false;
  const long size = std::ftell(f.get());
  if (size < 0 || std::fseek(f.get(), 0, SEEK_SET) != 0) return false;
  out.resize(static_cast<size_t>(size));
  return std::fread(out.data(), 1, out.size(), f.get()) == out.size();
}

// Decodes the formats handled here; false (image untouched) for any other, so that OpenCV
// decodes it, or reports what is wrong with it.
bool decode_png(const fs::path& path, int flags, cv::Mat& image) {
  thread_local Buffers buf;
  thread_local Decompressor inflater;
  if (!inflater.d || !read_whole_file(path, buf.file)) return false;
  const std::vector<uint8_t>& f = buf.file;
  static const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (f.size() < 33 || std::memcmp(f.data(), kSignature, 8) != 0 || std::memcmp(f.data() + 12, "IHDR", 4) != 0) return false;
  const uint32_t w = be32(&f[16]), h = be32(&f[20]);
  const int bits = f[24], colour = f[25], interlace = f[28];
  const bool rgb8 = colour == 2 && bits == 8, gray = colour == 0 && (bits == 8 || bits == 16);
  if (interlace != 0 || !(rgb8 || gray) || w == 0 || h == 0 || w > (1u << 16) || h > (1u << 16)) return false;
  const bool colour_out = flags == cv::IMREAD_COLOR;
  if (flags != cv::IMREAD_COLOR && flags != cv::IMREAD_UNCHANGED) return false;
  if (colour_out && bits == 16) return false;  // OpenCV scales 16-bit to 8; leave it that

  buf.idat.clear();
  for (size_t p = 8; p + 12 <= f.size();) {
    const uint32_t len = be32(&f[p]);
    if (len > f.size() - p - 12) return false;  // truncated
    if (std::memcmp(&f[p + 4], "IDAT", 4) == 0) buf.idat.insert(buf.idat.end(), &f[p + 8], &f[p + 8] + len);
    if (std::memcmp(&f[p + 4], "tRNS", 4) == 0) return false;  // transparency: OpenCV may add alpha
    if (std::memcmp(&f[p + 4], "IEND", 4) == 0) break;
    p += 12 + len;
  }
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
}

#endif  // S3D_HAVE_LIBDEFLATE

}  // namespace

void read_image_into(const fs::path& path, int flags, cv::Mat& image) {
#if defined(S3D_HAVE_LIBDEFLATE)
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".png" && decode_png(path, flags, image)) return;
#endif
  image = read_image(path, flags);
}

}  // namespace s3d::parallax
