// The shared conventions: frame ranges, frame store naming, atomic writes, header-only
// image sizes, the parallel loop.
#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "common/atomic_file.hpp"
#include "common/errors.hpp"
#include "common/frame_range.hpp"
#include "common/frame_store.hpp"
#include "common/image_io.hpp"
#include "common/parallel.hpp"
#include "common/progress.hpp"
#include "support/test_support.hpp"

using namespace s3d;
using s3d::test::TempDir;

TEST_CASE("FrameRange parses half-open ranges and rejects bad ones") {
  auto r = FrameRange::parse("10:20");
  CHECK(r.start == 10);
  CHECK(r.end == 20);
  CHECK(r.contains(10));
  CHECK_FALSE(r.contains(20));
  CHECK(FrameRange::parse("5:").is_open());
  CHECK(FrameRange::parse("5:").start == 5);
  CHECK(FrameRange::parse(":7").start == 0);
  CHECK(FrameRange::parse(":7").end == 7);
  CHECK(FrameRange::parse("").is_open());
  CHECK(FrameRange::parse("3:3").contains(3) == false);
  for (const char* bad : {"7", "a:b", "-1:5", "5:2", "1:2:3", "1.5:3"}) {
    INFO(bad);
    CHECK_THROWS_AS(FrameRange::parse(bad), UsageError);
  }
}

TEST_CASE("frame file names sort lexicographically in frame order") {
  CHECK(frame_filename(123, ".png") == "000123.png");
  CHECK(frame_filename(0, ".jpg") == "000000.jpg");
  CHECK(frame_filename(999999, ".png") == "999999.png");
  CHECK_THROWS_AS(frame_filename(1000000, ".png"), Error);
  CHECK(frame_filename(9, ".png") < frame_filename(10, ".png"));
  CHECK(parse_frame_filename("000123.png") == 123);
  CHECK(parse_frame_filename("000123.JPG") == 123);
  CHECK_FALSE(parse_frame_filename("123.png"));
  CHECK_FALSE(parse_frame_filename(".000123.png.tmp42-0"));
  CHECK_FALSE(parse_frame_filename("000123.txt"));
}

TEST_CASE("list_frames sorts, ignores temp files and refuses a doubly stored frame") {
  TempDir dir;
  cv::Mat img(4, 4, CV_8UC3, cv::Scalar(1, 2, 3));
  for (int i : {3, 1, 2}) cv::imwrite(frame_path(dir.path(), i, ".png").string(), img);
  std::ofstream(dir / ".000004.png.tmp1-0") << "partial";
  std::ofstream(dir / "notes.txt") << "x";
  auto frames = list_frames(dir.path());
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].index == 1);
  CHECK(frames[2].index == 3);
  CHECK(frames_in_range(frames, FrameRange::parse("2:3")).size() == 1);
  CHECK(find_frame(dir.path(), 2).has_value());
  CHECK_FALSE(find_frame(dir.path(), 4).has_value());

  cv::imwrite(frame_path(dir.path(), 2, ".jpg").string(), img);
  CHECK_THROWS_WITH(list_frames(dir.path()), Catch::Contains("frame 2 is stored twice"));
  CHECK_THROWS_WITH(list_frames(dir / "missing"), Catch::Contains("missing"));
}

TEST_CASE("read_image_size reads PNG and JPEG headers like a full decode") {
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

TEST_CASE("write_file_atomic replaces the file whole and leaves no temp behind") {
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

TEST_CASE("a write that fails half way leaves neither a final nor a temp file") {
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

TEST_CASE("parallel_for runs every item once and rethrows the first failure") {
  std::vector<std::atomic<int>> hits(1000);
  int64_t last_done = 0;
  parallel_for(1000, 4, [&](int64_t i) { hits[i]++; }, [&](int64_t done) { last_done = done; });
  for (auto& h : hits) REQUIRE(h == 1);
  CHECK(last_done == 1000);

  std::atomic<int> ran{0};
  CHECK_THROWS_WITH(parallel_for(100, 2,
                                 [&](int64_t i) {
                                   ++ran;
                                   if (i == 10) throw Error("frame 10 broke");
                                 }),
                    "frame 10 broke");
  CHECK(ran < 100);  // hand-out stopped after the failure
}

TEST_CASE("durations format as H:MM:SS") {
  CHECK(StderrProgress::format_duration(0) == "0:00:00");
  CHECK(StderrProgress::format_duration(3725) == "1:02:05");
  CHECK(StderrProgress::format_duration(-1) == "?:??:??");
}
