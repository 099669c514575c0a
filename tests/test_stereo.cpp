// The stereo vocabulary: names, packed sizes, the container tags and file name suffixes of
// every layout and eye order (one table shared by s3d-pack and s3d-encode).
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "stereo/stereo_format.hpp"

using namespace s3d;
using namespace s3d::stereo;

TEST_CASE("every layout and order has a name that parses back", "[unit]") {
  for (const auto& item : layout_names().items()) CHECK(layout_names().parse(item.name, "--format") == item.value);
  for (const auto& item : eye_order_names().items()) CHECK(eye_order_names().parse(item.name, "--order") == item.value);
  CHECK(layout_names().choices() == "hsbs|fsbs|hou|fou|anaglyph|anaglyph-color");
  CHECK_THROWS_WITH(layout_names().parse("sbs", "--format"), Catch::Contains("--format: expected hsbs, fsbs"));
  CHECK_THROWS_WITH(eye_order_names().parse("left", "--order"), "--order: expected left-first or right-first, got 'left'");
}

TEST_CASE("packed sizes of 1920x1080 eyes", "[unit]") {
  const cv::Size eye(1920, 1080);
  CHECK(packed_size(Layout::kHalfSideBySide, eye) == cv::Size(1920, 1080));
  CHECK(packed_size(Layout::kFullSideBySide, eye) == cv::Size(3840, 1080));
  CHECK(packed_size(Layout::kHalfOverUnder, eye) == cv::Size(1920, 1080));
  CHECK(packed_size(Layout::kFullOverUnder, eye) == cv::Size(1920, 2160));
  CHECK(packed_size(Layout::kAnaglyph, eye) == eye);
  CHECK(packed_size(Layout::kAnaglyphColor, eye) == eye);
}

TEST_CASE("container tags and suffixes follow the eye order", "[unit]") {
  struct Expected {
    Layout layout;
    EyeOrder order;
    const char* matroska;
    const char* mp4;
    const char* suffix;
  };
  const Expected table[] = {
      {Layout::kHalfSideBySide, EyeOrder::kLeftFirst, "left_right", "left_right", "_LR_3dh"},
      {Layout::kHalfSideBySide, EyeOrder::kRightFirst, "right_left", "", "_RL_3dh"},
      {Layout::kFullSideBySide, EyeOrder::kLeftFirst, "left_right", "left_right", "_LRF_Full_SBS"},
      {Layout::kFullSideBySide, EyeOrder::kRightFirst, "right_left", "", "_RLF_Full_SBS"},
      {Layout::kHalfOverUnder, EyeOrder::kLeftFirst, "top_bottom", "top_bottom", "_TB"},
      {Layout::kHalfOverUnder, EyeOrder::kRightFirst, "bottom_top", "", "_BT"},
      {Layout::kFullOverUnder, EyeOrder::kLeftFirst, "top_bottom", "top_bottom", "_TBF_fulltb"},
      {Layout::kFullOverUnder, EyeOrder::kRightFirst, "bottom_top", "", "_BTF_fulltb"},
      {Layout::kAnaglyph, EyeOrder::kLeftFirst, "", "", ""},
      {Layout::kAnaglyphColor, EyeOrder::kRightFirst, "", "", ""},
  };
  for (const auto& e : table) {
    const StereoFormat f{e.layout, e.order};
    INFO(describe(f));
    CHECK(matroska_stereo_mode(f) == e.matroska);
    CHECK(mp4_stereo_mode(f) == e.mp4);
    CHECK(file_suffix(f) == e.suffix);
  }
  const StereoFormat crossed{Layout::kHalfSideBySide, EyeOrder::kRightFirst};
  CHECK(with_file_suffix("out/film.mkv", crossed) == "out/film_RL_3dh.mkv");
  CHECK(with_file_suffix("out/film_RL_3dh.mkv", crossed) == "out/film_RL_3dh.mkv");  // never twice
  CHECK(with_file_suffix("film.mkv", StereoFormat{Layout::kAnaglyph, EyeOrder::kLeftFirst}) == "film.mkv");
}

TEST_CASE("one option table names the layout and the order for every tool", "[unit]") {
  StereoFormat f;
  const auto& pack = format_options("format");
  const auto& encode = format_options("layout");
  REQUIRE(pack.entries().size() == 2);
  CHECK(pack.entries()[0].name == "format");
  CHECK(encode.entries()[0].name == "layout");
  CHECK(pack.entries()[0].show(f) == "hsbs");
  CHECK(pack.entries()[1].show(f) == "left-first");
  encode.entries()[0].set(f, "fou");
  encode.entries()[1].set(f, "right-first");
  CHECK(f.layout == Layout::kFullOverUnder);
  CHECK(f.order == EyeOrder::kRightFirst);
  CHECK(pack.entries()[0].help == encode.entries()[0].help);  // one help text
  CHECK_THROWS_WITH(pack.entries()[0].set(f, "3d"), Catch::StartsWith("--format: expected"));
  CHECK_THROWS_WITH(encode.entries()[0].set(f, "3d"), Catch::StartsWith("--layout: expected"));
}
