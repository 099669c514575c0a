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
  CHECK(layout_names().choices() == "hsbs|fsbs|hou|fou|anaglyph|anaglyph-color|cross-eyed|vr180|rgbd|half-rgbd");
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
  CHECK(packed_size(Layout::kCrossEyed, eye) == cv::Size(3840, 1080));
  CHECK(packed_size(Layout::kRgbd, eye) == cv::Size(3840, 1080));     // frame | depth
  CHECK(packed_size(Layout::kHalfRgbd, eye) == cv::Size(1920, 1080));
  CHECK(packed_size(Layout::kVr180, cv::Size(2880, 2880)) == cv::Size(5760, 2880));  // two equirect eyes
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
      // cross-eyed is fsbs with the right eye first, whatever --order says: the same tags and name.
      {Layout::kCrossEyed, EyeOrder::kLeftFirst, "right_left", "", "_RLF_Full_SBS"},
      // vr180: side by side, left eye first, and the names VR players look for (180x180 / 180 + 3dh / LR).
      {Layout::kVr180, EyeOrder::kLeftFirst, "left_right", "left_right", "_180x180_3dh_LR"},
      // colour + depth is not a stereo pair: no stereo tag, no player suffix.
      {Layout::kRgbd, EyeOrder::kLeftFirst, "", "", ""},
      {Layout::kHalfRgbd, EyeOrder::kLeftFirst, "", "", ""},
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
  CHECK(with_file_suffix("film.mp4", StereoFormat{Layout::kVr180, EyeOrder::kLeftFirst}) == "film_180x180_3dh_LR.mp4");
  CHECK(right_eye_first({Layout::kCrossEyed, EyeOrder::kLeftFirst}));
  CHECK(right_eye_first({Layout::kFullSideBySide, EyeOrder::kRightFirst}));
  CHECK_FALSE(right_eye_first({Layout::kVr180, EyeOrder::kLeftFirst}));
}

TEST_CASE("vr180 carries the projection bounds of the front half sphere, flat layouts none", "[unit]") {
  const auto bounds = equirect_bounds({Layout::kVr180, EyeOrder::kLeftFirst});
  REQUIRE(bounds);
  // 0.32 fixed point: a quarter of the 360-degree width cut away on each side = 180 degrees
  // kept, centred straight ahead; all 180 degrees of latitude kept.
  CHECK(bounds->left == 1u << 30);
  CHECK(bounds->right == 1u << 30);
  CHECK(bounds->top == 0);
  CHECK(bounds->bottom == 0);
  CHECK((360.0 * (1.0 - (bounds->left + double(bounds->right)) / 4294967296.0)) == Approx(180.0));
  for (const auto& item : layout_names().items())
    if (item.value != Layout::kVr180) CHECK_FALSE(equirect_bounds({item.value, EyeOrder::kLeftFirst}));
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
  // Every layout is named in the help text.
  for (const auto& item : layout_names().items()) CHECK_THAT(pack.entries()[0].help, Catch::Contains(item.name));
}

TEST_CASE("the layouts of a fixed eye order refuse --order right-first", "[unit]") {
  const auto& table = format_options("pack");
  for (Layout fixed : {Layout::kCrossEyed, Layout::kVr180, Layout::kRgbd, Layout::kHalfRgbd}) {
    const StereoFormat f{fixed, EyeOrder::kRightFirst};
    INFO(layout_names().name(fixed));
    CHECK_THROWS_WITH(table.check(f), Catch::StartsWith("--order right-first: --pack " + layout_names().name(fixed)) &&
                                          Catch::Contains("fixed eye order"));
    CHECK_NOTHROW(table.check(StereoFormat{fixed, EyeOrder::kLeftFirst}));
    CHECK(describe(StereoFormat{fixed, EyeOrder::kLeftFirst}) == layout_names().name(fixed));
  }
  CHECK_NOTHROW(table.check(StereoFormat{Layout::kHalfSideBySide, EyeOrder::kRightFirst}));
  CHECK(describe(StereoFormat{Layout::kHalfSideBySide, EyeOrder::kRightFirst}) == "hsbs, right-first");
}
