#include "common/image_io.hpp"

#include <array>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "common/atomic_file.hpp"
#include "common/errors.hpp"

namespace s3d {
namespace {

std::optional<cv::Size> png_size(std::istream& in) {
  std::array<unsigned char, 24> h{};
  if (!in.read(reinterpret_cast<char*>(h.data()), h.size())) return std::nullopt;
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (!std::equal(sig, sig + 8, h.begin()) || std::string(h.begin() + 12, h.begin() + 16) != "IHDR")
    return std::nullopt;
  auto be32 = [&](int o) { return (h[o] << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]; };
  return cv::Size(be32(16), be32(20));
}

std::optional<cv::Size> jpeg_size(std::istream& in) {
  auto byte = [&]() -> int { char c; return in.get(c) ? static_cast<unsigned char>(c) : -1; };
  if (byte() != 0xFF || byte() != 0xD8) return std::nullopt;
  for (;;) {
    int b = byte();
    while (b == 0xFF) b = byte();  // fill bytes
    if (b < 0) return std::nullopt;
    const int marker = b;
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;  // no length
    int hi = byte(), lo = byte();
    if (hi < 0 || lo < 0) return std::nullopt;
    const int len = (hi << 8) | lo;
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      byte();  // precision
      int h1 = byte(), h0 = byte(), w1 = byte(), w0 = byte();
      if (w0 < 0) return std::nullopt;
      return cv::Size((w1 << 8) | w0, (h1 << 8) | h0);
    }
    if (marker == 0xDA || len < 2) return std::nullopt;  // scan data before any frame header
    in.seekg(len - 2, std::ios::cur);
  }
}

}  // namespace

cv::Mat read_image(const fs::path& path, int flags) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw Error("image '" + path.string() + "' does not exist");
  cv::Mat image = cv::imread(path.string(), flags);
  if (image.empty()) {
    throw Error("cannot decode image '" + path.string() + "' (not a readable image or truncated)");
  }
  return image;
}

cv::Size read_image_size(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open image '" + path.string() + "'");
  if (auto s = png_size(in)) return *s;
  in.clear();
  in.seekg(0);
  if (auto s = jpeg_size(in)) return *s;
  return read_image(path, cv::IMREAD_UNCHANGED).size();
}

void write_image_atomic(const fs::path& path, const cv::Mat& image, const ImageWriteOptions& options) {
  std::string ext = path.extension().string();
  std::vector<int> params;
  if (ext == ".jpg" || ext == ".jpeg") params = {cv::IMWRITE_JPEG_QUALITY, options.jpeg_quality};
  if (ext == ".png" && options.png_compression >= 0) params = {cv::IMWRITE_PNG_COMPRESSION, options.png_compression};
  std::vector<uchar> bytes;
  bool ok = false;
  try {
    ok = cv::imencode(ext, image, bytes, params);
  } catch (const cv::Exception& e) {
    throw Error("cannot encode '" + path.string() + "': " + e.what());
  }
  if (!ok) throw Error("cannot encode '" + path.string() + "' as " + ext);
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace s3d
