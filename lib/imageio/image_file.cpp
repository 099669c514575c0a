#include "imageio/image_file.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "core/errors.hpp"
#include "imageio/atomic_file.hpp"
#include "imageio/png_chunks.hpp"
#include "imageio/png_decoder.hpp"
#include "imageio/png_encoder.hpp"

namespace s3d {
namespace {

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool read_whole_file(const fs::path& path, std::vector<uint8_t>& out) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return false;
  if (std::fseek(f.get(), 0, SEEK_END) != 0) return false;
  const long size = std::ftell(f.get());
  if (size < 0 || std::fseek(f.get(), 0, SEEK_SET) != 0) return false;
  out.resize(static_cast<size_t>(size));
  return std::fread(out.data(), 1, out.size(), f.get()) == out.size();
}

std::optional<ImageHeader> jpeg_header(std::istream& in) {
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
      int h1 = byte(), h0 = byte(), w1 = byte(), w0 = byte(), components = byte();
      if (components < 0) return std::nullopt;
      return ImageHeader{cv::Size((w1 << 8) | w0, (h1 << 8) | h0), CV_8U, components == 1 ? 1 : 3};
    }
    if (marker == 0xDA || len < 2) return std::nullopt;  // scan data before any frame header
    in.seekg(len - 2, std::ios::cur);
  }
}

static_assert(kReadColor == cv::IMREAD_COLOR && kReadUnchanged == cv::IMREAD_UNCHANGED);

}  // namespace

cv::Mat read_image(const fs::path& path, int flags) {
  cv::Mat image;
  read_image_into(path, flags, image);
  return image;
}

void read_image_into(const fs::path& path, int flags, cv::Mat& image) {
  thread_local std::vector<uint8_t> bytes;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw Error("image '" + path.string() + "' does not exist");
  if (!read_whole_file(path, bytes)) throw Error("cannot read image '" + path.string() + "'");
  if (lower_extension(path) == ".png" && png::decode_fast(bytes.data(), bytes.size(), flags, image)) return;
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8UC1, bytes.data()), flags);
  } catch (const cv::Exception& e) {
    throw Error("cannot decode image '" + path.string() + "': " + e.what());
  }
  if (decoded.empty()) throw Error("cannot decode image '" + path.string() + "' (not a readable image or truncated)");
  image = decoded;
}

ImageHeader read_image_header(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open image '" + path.string() + "'");
  uint8_t head[29] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  if (const auto h = png::read_header(head, static_cast<size_t>(in.gcount()))) {
    const int channels = h->colour_type == 0 ? 1 : h->colour_type == 4 ? 2 : h->colour_type == 6 ? 4 : 3;
    return {cv::Size(static_cast<int>(h->width), static_cast<int>(h->height)), h->bit_depth == 16 ? CV_16U : CV_8U,
            channels};
  }
  in.clear();
  in.seekg(0);
  if (auto h = jpeg_header(in)) return *h;
  const cv::Mat image = read_image(path, cv::IMREAD_UNCHANGED);
  return {image.size(), image.depth(), image.channels()};
}

cv::Size read_image_size(const fs::path& path) { return read_image_header(path).size; }

void write_image_atomic(const fs::path& path, const cv::Mat& image, const ImageWriteOptions& options) {
  const std::string ext = lower_extension(path);
  if (ext == ".png" && options.fast_png &&
      ((image.depth() == CV_8U && (image.channels() == 1 || image.channels() == 3)) || image.type() == CV_16UC1)) {
    thread_local FastPngEncoder encoder;  // per thread: its ~20 MB of 1080p buffers stay mapped
    const auto bytes = encoder.encode(image);
    write_file_atomic(path, bytes.data, bytes.size);
    return;
  }
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
