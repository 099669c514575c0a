// Image files: header-only reads, atomic writes (and their failure), the fast PNG encoder and
// decoder against OpenCV, the PNG stream reader, and the frame writer pool.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "imageio/atomic_file.hpp"
#include "imageio/frame_writer.hpp"
#include "imageio/image_file.hpp"
#include "imageio/png_chunks.hpp"
#include "imageio/png_encoder.hpp"
#include "support/image_compare.hpp"
#include "support/test_support.hpp"

using namespace s3d;
using s3d::test::TempDir;

namespace {

cv::Mat noise(int w, int h, int seed) {
  cv::Mat img(h, w, CV_8UC3);
  cv::RNG(seed).fill(img, cv::RNG::UNIFORM, 0, 256);
  return img;
}

}  // namespace

TEST_CASE("read_image_size reads PNG and JPEG headers like a full decode", "[unit]") {
  TempDir dir;
  cv::Mat img(37, 91, CV_8UC3);
  cv::randu(img, 0, 255);
  for (const char* ext : {".png", ".jpg", ".bmp"}) {
    auto p = dir / (std::string("x") + ext);
    cv::imwrite(p.string(), img);
    INFO(ext);
    CHECK(read_image_size(p) == cv::Size(91, 37));
  }
  cv::Mat gray16(5, 7, CV_16UC1, cv::Scalar(1000));
  cv::imwrite((dir / "d.png").string(), gray16);
  CHECK(read_image_size(dir / "d.png") == cv::Size(7, 5));
  std::ofstream(dir / "bad.png") << "not an image";
  CHECK_THROWS_WITH(read_image_size(dir / "bad.png"), Catch::Contains("bad.png"));
  CHECK_THROWS_WITH(read_image(dir / "none.png"), Catch::Contains("none.png"));
}

TEST_CASE("write_file_atomic replaces the file whole and leaves no temp behind", "[unit]") {
  TempDir dir;
  auto p = dir / "out.txt";
  write_file_atomic(p, std::string_view("first"));
  write_file_atomic(p, std::string_view("second version"));
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  CHECK(s == "second version");
  CHECK(test::files_below(dir.path()).size() == 1);
  CHECK_THROWS_WITH(write_file_atomic(dir / "no/such/dir/x", std::string_view("x")), Catch::Contains("no/such/dir/x"));
}

TEST_CASE("a write that fails half way leaves neither a final nor a temp file", "[unit]") {
  TempDir dir;
  std::string big(5000, 'x');
  bool threw = false;
  {
    test::FileSizeLimit cap(1000);  // a real I/O failure: write() fails with EFBIG
    try {
      write_file_atomic(dir / "big.bin", std::string_view(big));
    } catch (const Error& e) {
      threw = true;
      CHECK_THAT(e.what(), Catch::Contains("big.bin"));
    }
  }
  CHECK(threw);
  CHECK(test::files_below(dir.path()).empty());
}

TEST_CASE("the fast PNG encoder writes files any decoder reads back exactly", "[unit]") {
  cv::Mat gradient(37, 91, CV_8UC3), uniform(300, 400, CV_8UC3, cv::Scalar(5, 200, 77)), gray(50, 64, CV_8UC1);
  for (int y = 0; y < gradient.rows; ++y)
    for (int x = 0; x < gradient.cols; ++x) gradient.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 2, y * 6, (x * y) % 256);
  cv::RNG(11).fill(gray, cv::RNG::UNIFORM, 0, 256);
  // A near-uniform image has an extremely skewed byte histogram: its Huffman code must be
  // length-limited (to 12 bits, which the encoder's bit packing relies on) to stay valid.
  uniform.at<cv::Vec3b>(10, 10) = cv::Vec3b(255, 0, 1);
  for (const cv::Mat& img : {noise(640, 360, 4), gradient, uniform, gray, cv::Mat(1, 1, CV_8UC3, cv::Scalar(1, 2, 3))}) {
    INFO(img.cols << "x" << img.rows << " channels " << img.channels());
    const std::vector<uint8_t> png = encode_png_fast(img);
    const cv::Mat back = cv::imdecode(png, cv::IMREAD_UNCHANGED);
    REQUIRE(back.type() == img.type());
    S3D_CHECK_IMAGES_MATCH(back, img, test::kExact);
  }
  // Literal-only coding still compresses smooth content (a ramp is near-constant once filtered).
  CHECK(encode_png_fast(uniform).size() < uniform.total() * 3 / 5);
}

TEST_CASE("frames and depth maps decode exactly as OpenCV decodes them", "[unit]") {
  // read_image_into decodes common PNGs itself when built with libdeflate (else it is OpenCV):
  // every filter type (OpenCV's explicit levels filter adaptively, the fast encoder uses SUB),
  // 8-bit colour and gray, 16-bit gray; other formats (RGBA, JPEG) take OpenCV's path.
  TempDir dir;
  cv::Mat ramp(40, 67, CV_8UC3), gray(33, 50, CV_8UC1), deep(31, 45, CV_16UC1), rgba(9, 10, CV_8UC4);
  for (int y = 0; y < ramp.rows; ++y)
    for (int x = 0; x < ramp.cols; ++x) ramp.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 3, y * 5 + x, (x * y) % 251);
  cv::RNG rng(5);
  rng.fill(gray, cv::RNG::UNIFORM, 0, 256);
  for (int y = 0; y < deep.rows; ++y)
    for (int x = 0; x < deep.cols; ++x) deep.at<uint16_t>(y, x) = static_cast<uint16_t>(y * 1500 + x * 37 + rng.uniform(0, 300));
  rng.fill(rgba, cv::RNG::UNIFORM, 0, 256);
  int n = 0;
  const auto check = [&](const cv::Mat& image, const std::vector<int>& params, bool fast_encoder = false) {
    const fs::path path = dir.path() / ("img" + std::to_string(n++) + ".png");
    if (fast_encoder) {
      const std::vector<uint8_t> png = encode_png_fast(image);
      std::FILE* f = std::fopen(path.c_str(), "wb");
      REQUIRE(f);
      std::fwrite(png.data(), 1, png.size(), f);
      std::fclose(f);
    } else {
      REQUIRE(cv::imwrite(path.string(), image, params));
    }
    for (int flags : {cv::IMREAD_COLOR, cv::IMREAD_UNCHANGED}) {
      INFO(path << " flags " << flags);
      cv::Mat ours(3, 3, CV_8UC3);  // reused memory of another size and type must not matter
      read_image_into(path, flags, ours);
      const cv::Mat opencv = cv::imread(path.string(), flags);
      REQUIRE(ours.type() == opencv.type());
      REQUIRE(ours.size() == opencv.size());
      CHECK(cv::norm(ours, opencv, cv::NORM_INF) == 0);  // exact
    }
  };
  for (const cv::Mat& image : {ramp, gray, deep, rgba}) {
    check(image, {});
    check(image, {cv::IMWRITE_PNG_COMPRESSION, 9});
  }
  check(ramp, {}, true);
  check(gray, {}, true);
  CHECK_THROWS_WITH(read_image_into(dir.path() / "missing.png", kReadColor, ramp),
                    Catch::Contains("missing.png"));
  const fs::path truncated = dir.path() / "truncated.png";
  {
    const std::vector<uint8_t> png = encode_png_fast(ramp);
    std::FILE* f = std::fopen(truncated.c_str(), "wb");
    std::fwrite(png.data(), 1, png.size() / 2, f);
    std::fclose(f);
  }
  CHECK_THROWS_WITH(read_image_into(truncated, kReadColor, ramp), Catch::Contains("truncated.png"));
}

TEST_CASE("read_image_header tells 8-bit colour from 16-bit gray without decoding", "[unit]") {
  TempDir dir;
  cv::imwrite((dir / "c.png").string(), noise(20, 10, 1));
  cv::imwrite((dir / "d.png").string(), cv::Mat(7, 5, CV_16UC1, cv::Scalar(300)));
  cv::imwrite((dir / "g.jpg").string(), cv::Mat(6, 4, CV_8UC1, cv::Scalar(30)));
  const ImageHeader c = read_image_header(dir / "c.png"), d = read_image_header(dir / "d.png"),
                    g = read_image_header(dir / "g.jpg");
  CHECK(c.size == cv::Size(20, 10));
  CHECK(c.depth == CV_8U);
  CHECK(c.channels == 3);
  CHECK(d.size == cv::Size(5, 7));
  CHECK(d.depth == CV_16U);
  CHECK(d.channels == 1);
  CHECK(g.channels == 1);
  CHECK(g.depth == CV_8U);
}

TEST_CASE("write_image_atomic: the fast PNG path and OpenCV's give the same pixels", "[unit]") {
  TempDir dir;
  const cv::Mat image = noise(64, 48, 3);
  ImageWriteOptions fast;
  fast.fast_png = true;
  write_image_atomic(dir / "fast.png", image, fast);
  write_image_atomic(dir / "preset.png", image);
  write_image_atomic(dir / "level9.png", image, ImageWriteOptions{95, 9, false});
  for (const char* name : {"fast.png", "preset.png", "level9.png"}) {
    INFO(name);
    S3D_CHECK_IMAGES_MATCH(image, read_image(dir / name), test::kExact);
  }
  // 16-bit images never take the 8-bit-only fast encoder.
  const cv::Mat deep(5, 6, CV_16UC1, cv::Scalar(54321));
  write_image_atomic(dir / "deep.png", deep, fast);
  S3D_CHECK_IMAGES_MATCH(deep, read_image(dir / "deep.png", kReadUnchanged), test::kExact);
  CHECK(test::files_below(dir.path()).size() == 4);  // no temp file left
}

TEST_CASE("AtomicOutput: a file another program writes appears only when committed", "[unit]") {
  TempDir dir;
  const fs::path final_path = dir / "segment.mkv";
  {
    AtomicOutput out(final_path);
    std::ofstream(out.temp()) << "written by someone else";
    CHECK_FALSE(fs::exists(final_path));
  }  // not committed: the temp file is gone, nothing under the final name
  CHECK(test::files_below(dir.path()).empty());
  {
    AtomicOutput out(final_path);
    std::ofstream(out.temp()) << "complete";
    out.commit();
  }
  std::ifstream in(final_path);
  std::string text;
  std::getline(in, text);
  CHECK(text == "complete");
  AtomicOutput never(dir / "never.mkv");
  CHECK_THROWS_WITH(never.commit(), Catch::Contains("never.mkv") && Catch::Contains("never written"));
}

TEST_CASE("the PNG stream reader splits concatenated PNGs and names a broken stream", "[unit]") {
  std::vector<uchar> a, b;
  cv::imencode(".png", noise(9, 7, 1), a);
  cv::imencode(".png", cv::Mat(3, 4, CV_16UC1, cv::Scalar(777)), b);
  std::string stream(a.begin(), a.end());
  stream.append(b.begin(), b.end());
  size_t pos = 0;
  const auto read = [&](void* data, size_t n) {
    const size_t k = std::min(n, stream.size() - pos);
    std::memcpy(data, stream.data() + pos, k);
    pos += k;
    return k;
  };
  std::string png;
  REQUIRE(png::read_png_from_stream(read, png, "stream"));
  CHECK(png == std::string(a.begin(), a.end()));
  REQUIRE(png::read_png_from_stream(read, png, "stream"));
  CHECK(png == std::string(b.begin(), b.end()));
  CHECK_FALSE(png::read_png_from_stream(read, png, "stream"));  // a clean end
  stream.resize(a.size() / 2);  // ends inside a file
  pos = 0;
  CHECK_THROWS_WITH(png::read_png_from_stream(read, png, "'film.mkv'"), Catch::StartsWith("'film.mkv': the PNG stream ended"));
  stream = "GIF89a..";
  pos = 0;
  CHECK_THROWS_WITH(png::read_png_from_stream(read, png, "x"), Catch::Contains("not a PNG stream"));
}

TEST_CASE("the frame writer pool writes every queued frame and reports the first failure", "[unit]") {
  TempDir dir;
  int64_t last = 0;
  FrameWriterPool pool(2, 4, ImageWriteOptions{}, [&](int64_t done, int64_t) { last = std::max(last, done); }, 10);
  for (int i = 0; i < 10; ++i) pool.push(frame_path(dir.path(), i, ".png"), noise(16, 8, i));
  pool.finish();
  CHECK(last == 10);
  REQUIRE(list_frames(dir.path()).size() == 10);
  S3D_CHECK_IMAGES_MATCH(noise(16, 8, 7), read_image(frame_path(dir.path(), 7, ".png")), test::kExact);
  FrameWriterPool failing(1, 2, ImageWriteOptions{}, {}, 1);
  failing.push(dir / "no" / "such" / "dir" / "000000.png", noise(4, 4, 1));
  CHECK_THROWS_WITH(failing.finish(), Catch::Contains("no/such/dir"));
}
