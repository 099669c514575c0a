// The preview (lib/preview, s3d-preview, Makefile.pipeline's preview target): the depth
// colormap and its legend, the wiggle GIF (frame count, loop, and the shift between its views
// on a flat textured plane of known depth against the parallax formula), the contact sheet's
// geometry, the page naming every picture; and the make target end to end: N of each
// picture, the run's kept depth reused, the preview's own depth the run's byte for byte, its
// eyes those of the chain's packed frame, and a PARALLAX change estimating no depth.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <opencv2/imgproc.hpp>
#include <set>
#include <sstream>

#include "core/frame_store.hpp"
#include "core/value_parsers.hpp"
#include "imageio/image_file.hpp"
#include "preview/colormap.hpp"
#include "preview/contact_sheet.hpp"
#include "preview/preview_page.hpp"
#include "preview/wiggle_gif.hpp"
#include "support/pipeline_helpers.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using s3d::test::run_program;
using s3d::test::run_tool;
using s3d::test::TempDir;
using namespace s3d::preview;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Warm: more red than blue; cool: more blue than red (BGR).
bool warm(const cv::Vec3b& c) { return c[2] > c[0]; }
bool cool(const cv::Vec3b& c) { return c[0] > c[2]; }

// Frames decoded from a GIF (or any video), in order.
std::vector<cv::Mat> decode_frames(const fs::path& file, const fs::path& dir) {
  fs::create_directories(dir);
  auto r = run_program("ffmpeg", {"-v", "error", "-y", "-i", file.string(), "-fps_mode", "passthrough",
                                  (dir / "%03d.png").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<cv::Mat> frames;
  for (int i = 1; fs::exists(dir / cv::format("%03d.png", i)); ++i)
    frames.push_back(s3d::read_image(dir / cv::format("%03d.png", i)));
  return frames;
}

int gif_frame_count(const fs::path& gif) {
  auto r = run_program("ffprobe", {"-v", "error", "-count_frames", "-select_streams", "v", "-show_entries",
                                   "stream=nb_read_frames", "-of", "csv=p=0", gif.string()});
  REQUIRE(r.exit_code == 0);
  return std::stoi(r.out);
}

// The horizontal shift of `b` against `a` (b(x) ~ a(x - shift)), sub-pixel, by phase correlation.
cv::Point2d shift_between(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat ga, gb, fa, fb, window;
  cv::cvtColor(a, ga, cv::COLOR_BGR2GRAY);
  cv::cvtColor(b, gb, cv::COLOR_BGR2GRAY);
  ga.convertTo(fa, CV_64F);
  gb.convertTo(fb, CV_64F);
  cv::createHanningWindow(window, fa.size(), CV_64F);
  return cv::phaseCorrelate(fa, fb, window);
}

// A gray texture (blurred noise: detail at every position, no repeats), 8-bit BGR.
cv::Mat texture(cv::Size size, int seed) {
  cv::Mat noise(size, CV_8UC1);
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(noise, noise, {0, 0}, 1.5);
  cv::normalize(noise, noise, 0, 255, cv::NORM_MINMAX);
  cv::Mat bgr;
  cv::cvtColor(noise, bgr, cv::COLOR_GRAY2BGR);
  return bgr;
}

}  // namespace

TEST_CASE("preview colormap: near is warm, far is cool, each pixel its map's entry", "[unit]") {
  cv::Mat depth(4, 256, CV_32FC1);
  for (int x = 0; x < 256; ++x) depth.col(x).setTo(x / 255.0);
  for (const auto& item : colormap_names().items()) {
    INFO(item.name);
    const cv::Mat colour = colorize_depth(depth, item.value);
    REQUIRE(colour.size() == depth.size());
    REQUIRE(colour.type() == CV_8UC3);
    CHECK(warm(colour.at<cv::Vec3b>(0, 255)));  // nearest
    CHECK(cool(colour.at<cv::Vec3b>(0, 0)));    // farthest
    for (int x = 0; x < 256; x += 17) CHECK(colour.at<cv::Vec3b>(2, x) == colormap_color(x / 255.0, item.value));
  }
  // Outside [0, 1]: clamped to the ends.
  cv::Mat outside(1, 2, CV_32FC1);
  outside.at<float>(0) = -0.5f;
  outside.at<float>(1) = 1.5f;
  const cv::Mat c = colorize_depth(outside, Colormap::kTurbo);
  CHECK(c.at<cv::Vec3b>(0, 0) == colormap_color(0, Colormap::kTurbo));
  CHECK(c.at<cv::Vec3b>(0, 1) == colormap_color(1, Colormap::kTurbo));
}

TEST_CASE("preview legend: a bar beside the map, near at its top, far at its bottom, labelled", "[unit]") {
  for (int height : {96, 180, 1080}) {
    INFO(height);
    const cv::Mat colour(height, 200, CV_8UC3, cv::Scalar(10, 200, 30));
    LegendLabels labels;
    labels.near_note = "+15 px";
    labels.far_note = "0 px";
    const cv::Mat out = with_legend(colour, Colormap::kTurbo, labels);
    REQUIRE(out.rows == height);
    REQUIRE(out.cols == 200 + legend_width(height));
    CHECK(s3d::test::max_abs_diff(out(cv::Rect(0, 0, 200, height)), colour) == 0);  // the map untouched
    const LegendBar bar = legend_bar(height);
    const cv::Mat legend = out(cv::Rect(200, 0, legend_width(height), height));
    const int x = bar.left + bar.width / 2;
    CHECK(legend.at<cv::Vec3b>(bar.top, x) == colormap_color(1, Colormap::kTurbo));
    CHECK(legend.at<cv::Vec3b>(bar.bottom - 1, x) == colormap_color(0, Colormap::kTurbo));
    CHECK(warm(legend.at<cv::Vec3b>(bar.top, x)));
    CHECK(cool(legend.at<cv::Vec3b>(bar.bottom - 1, x)));
    // The labels: light text right of the bar, near its top and near its bottom.
    cv::Mat gray;
    cv::cvtColor(legend(cv::Rect(bar.left + bar.width, 0, legend.cols - bar.left - bar.width, height)), gray,
                 cv::COLOR_BGR2GRAY);
    CHECK(cv::countNonZero(gray(cv::Rect(0, 0, gray.cols, height / 2)) > 150) > 10);
    CHECK(cv::countNonZero(gray(cv::Rect(0, height / 2, gray.cols, height - height / 2)) > 150) > 10);
  }
  // The sheet's horizontal legend: far on the left, near on the right.
  const cv::Mat strip = horizontal_legend(600, 24, Colormap::kInferno);
  std::vector<cv::Vec3b> row;
  for (int x = 0; x < strip.cols; ++x) row.push_back(strip.at<cv::Vec3b>(12, x));
  CHECK(std::find(row.begin(), row.end(), colormap_color(0, Colormap::kInferno)) <
        std::find(row.begin(), row.end(), colormap_color(1, Colormap::kInferno)));
}

TEST_CASE("preview wiggle: views go left to right and back, and the GIF's size", "[unit]") {
  CHECK(wiggle_order(2) == std::vector<int>{0, 1});
  CHECK(wiggle_order(3) == std::vector<int>{0, 1, 2, 1});
  CHECK(wiggle_order(5) == std::vector<int>{0, 1, 2, 3, 4, 3, 2, 1});
  CHECK(gif_size({1920, 1080}, 960) == cv::Size(960, 540));
  CHECK(gif_size({320, 180}, 960) == cv::Size(320, 180));  // never enlarged
  CHECK(gif_size({320, 180}, 0) == cv::Size(320, 180));
}

TEST_CASE("contact sheet: a header, then one row per frame of four tiles", "[unit]") {
  const cv::Size frame(320, 180);
  const auto row_of = [&](int k) {
    SheetRow row;
    row.label = "frame " + std::to_string(k);
    row.depth_colour = cv::Mat(frame, CV_8UC3, cv::Scalar(255, 0, 0));
    row.left = cv::Mat(frame, CV_8UC3, cv::Scalar(0, 255, 0));
    row.right = cv::Mat(frame, CV_8UC3, cv::Scalar(0, 0, 255));
    row.anaglyph = cv::Mat(frame, CV_8UC3, cv::Scalar(255, 255, 0));
    return row;
  };
  const std::vector<std::string> items = {"PARALLAX=15", "CONVERGENCE=0", "MODEL=heuristic"};
  const auto one = contact_sheet({row_of(0)}, "title", items, 160, Colormap::kTurbo, {});
  const auto three = contact_sheet({row_of(0), row_of(1), row_of(2)}, "title", items, 160, Colormap::kTurbo, {});
  const SheetLayout& l = three.layout;
  CHECK(l.tile == cv::Size(160, 90));
  CHECK(three.image.size() == l.size);
  CHECK(l.size.width == kSheetColumns * 160 + (kSheetColumns + 1) * l.gap);
  CHECK(three.image.rows - one.image.rows == 2 * l.row_height);
  CHECK(l.size == sheet_layout(frame, 3, static_cast<int>(wrap_header(items, l.size.width - 2 * l.gap).size()), 160).size);
  // Each tile where the layout puts it: row 2, column c.
  const cv::Vec3b expected[kSheetColumns] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}};
  const int line = l.row_height - l.tile.height - l.gap;
  for (int c = 0; c < kSheetColumns; ++c) {
    const cv::Point centre(l.gap + c * (l.tile.width + l.gap) + l.tile.width / 2,
                           l.header_height + 2 * l.row_height + line + l.tile.height / 2);
    CHECK(three.image.at<cv::Vec3b>(centre) == expected[c]);
  }
  // Long parameters wrap inside the sheet.
  const std::vector<std::string> long_items = {"INPUT=/a/very/long/path/of/a/film/on/a/disk/somewhere.mkv",
                                               "DEPTH=kept by the run: 1 2 3 4 5 6 7 8 9 10 11 12; estimated now: 13"};
  for (const auto& text : wrap_header(long_items, 300)) {
    int baseline = 0;
    CHECK(cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, 0.5, 1, &baseline).width <= 560);  // (a long word stays whole)
  }
  CHECK(wrap_header(long_items, 300).size() >= 3);
}

TEST_CASE("preview page: every picture as an <img>, every parameter, all escaped", "[unit]") {
  PageContent page;
  page.title = "a <title> & more";
  page.parameters = {{"PARALLAX", "15"}, {"INPUT", "/films/<odd> & \"name\".mkv"}};
  page.sheet = "contact-sheet.png";
  page.commands = "s3d-depth --out 'a b'\n";
  page.frames.push_back({"frame 12", {{"depth", "colormap/000012.png"}, {"wiggle", "wiggle/000012.gif"}}});
  const std::string html = preview_page(page);
  CHECK_THAT(html, Catch::Contains("<img class=\"sheet\" src=\"contact-sheet.png\""));
  CHECK_THAT(html, Catch::Contains("<img src=\"colormap/000012.png\""));
  CHECK_THAT(html, Catch::Contains("<img src=\"wiggle/000012.gif\""));
  CHECK_THAT(html, Catch::Contains("<th>PARALLAX</th><td>15</td>"));
  CHECK_THAT(html, Catch::Contains("/films/&lt;odd&gt; &amp; &quot;name&quot;.mkv"));
  CHECK_THAT(html, Catch::Contains("a &lt;title&gt; &amp; more"));
  CHECK_THAT(html, Catch::Contains("s3d-depth --out &#39;a b&#39;"));
  CHECK(html.find("<odd>") == std::string::npos);
}

TEST_CASE("s3d-preview on a flat textured plane: the GIF's views differ by the parallax formula's shift", "[e2e]") {
  // A plane at depth d = 40000/65535 everywhere, parallax P = 12, convergence C = 0: each eye
  // moves by s = P (d - C) = 7.32 px (docs/parallax.md), left to the right, right to the left, so
  // the right view is the left one shifted by -2s = -14.65 px; with 5 views, view i is
  // shifted by -2s i / 4 from the left eye. Measured by phase correlation on the GIF's decoded
  // frames (gray texture: the palette keeps it nearly exact); tolerance 0.25 px (bilinear
  // sub-pixel warp, the mirrored edge bands, the GIF's 256 levels).
  TempDir dir("s3d-preview");
  const cv::Size size(320, 192);
  const int64_t index = 7;
  const std::string name = s3d::frame_filename(index, ".png");
  fs::create_directories(dir / "frames");
  fs::create_directories(dir / "depth");
  s3d::write_image_atomic(dir / "frames" / name, texture(size, 3));
  const int level = 40000;
  s3d::write_image_atomic(dir / "depth" / name, cv::Mat(size, CV_16UC1, cv::Scalar(level)));
  const double parallax = 12, d = level / 65535.0, s = parallax * d;
  const auto eyes = [&](double p, const std::string& out) {
    auto r = run_tool("s3d-parallax", {"--frames", (dir / "frames").string(), "--depth", (dir / "depth").string(),
                                       "--out", (dir / out).string(), "--parallax", s3d::format_real(p), "--convergence", "0",
                                       "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  };
  eyes(parallax, "views");
  eyes(parallax / 3, "views-1");  // 4 views: the in-between ones at parallax P (4 - 1 - 2) / 3

  SECTION("two views") {
    auto r = run_tool("s3d-preview", {"--frames", (dir / "frames").string(), "--depth", (dir / "depth").string(),
                                      "--views", (dir / "views").string(), "--out", (dir / "out").string(),
                                      "--parallax", "12", "--convergence", "0", "--gif-width", "0", "--fps", "25",
                                      "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path gif = dir / "out" / "wiggle" / s3d::frame_filename(index, ".gif");
    CHECK(gif_frame_count(gif) == 2);
    // Loops forever: the NETSCAPE2.0 extension with a loop count of 0.
    const std::string bytes = read_file(gif);
    const auto ext = bytes.find("NETSCAPE2.0");
    REQUIRE(ext != std::string::npos);
    CHECK(bytes.substr(ext + 11, 4) == std::string("\x03\x01\x00\x00", 4));
    const auto frames = decode_frames(gif, dir / "decoded");
    REQUIRE(frames.size() == 2);
    CHECK(frames[0].size() == size);
    const cv::Point2d shift = shift_between(frames[0], frames[1]);
    INFO("measured " << shift.x << ", " << shift.y << " px; expected " << -2 * s);
    CHECK(std::abs(shift.x - (-2 * s)) < 0.25);
    CHECK(std::abs(shift.y) < 0.25);
    // The pictures' sizes, and the plane's colour in the depth map.
    const fs::path out = dir / "out";
    CHECK(s3d::read_image_size(out / "colormap" / name) == cv::Size(size.width + legend_width(size.height), size.height));
    CHECK(s3d::read_image(out / "colormap" / name).at<cv::Vec3b>(96, 160) == colormap_color(d, Colormap::kTurbo));
    CHECK(s3d::read_image_size(out / "pair" / name) == cv::Size(2 * size.width, size.height));
    CHECK(s3d::read_image_size(out / "anaglyph" / name) == size);
    CHECK(fs::exists(out / "contact-sheet.png"));
    CHECK_THAT(read_file(out / "index.html"), Catch::Contains("frame 7 (0.280 s)"));
  }
  SECTION("four views: the in-between ones at their share of the shift") {
    auto r = run_tool("s3d-preview", {"--frames", (dir / "frames").string(), "--depth", (dir / "depth").string(),
                                      "--views", (dir / "views").string(), "--out", (dir / "out").string(),
                                      "--parallax", "12", "--convergence", "0", "--gif-width", "0", "--wiggle-views",
                                      "4", "--quiet",
                                      "--inner-views", (dir / "views-1").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path gif = dir / "out" / "wiggle" / s3d::frame_filename(index, ".gif");
    CHECK(gif_frame_count(gif) == 6);  // 0 1 2 3 2 1
    const auto frames = decode_frames(gif, dir / "decoded");
    REQUIRE(frames.size() == 6);
    for (int i = 1; i < 4; ++i) {
      const cv::Point2d shift = shift_between(frames[0], frames[i]);
      INFO("view " << i << ": measured " << shift.x << " px; expected " << -2 * s * i / 3);
      CHECK(std::abs(shift.x - (-2 * s * i / 3)) < 0.25);
    }
    CHECK(s3d::test::max_abs_diff(frames[4], frames[2]) == 0);  // and back
  }
}

TEST_CASE("s3d-preview checks its inputs before writing anything", "[e2e]") {
  TempDir dir("s3d-preview");
  const cv::Size size(64, 48);
  for (const char* sub : {"frames", "depth", "views/left"}) fs::create_directories(dir / sub);
  s3d::write_image_atomic(dir / "frames/000003.png", texture(size, 1));
  s3d::write_image_atomic(dir / "depth/000003.png", cv::Mat(size, CV_16UC1, cv::Scalar(100)));
  s3d::write_image_atomic(dir / "views/left/000003.png", texture(size, 1));
  const std::vector<std::string> base = {"--frames", (dir / "frames").string(), "--depth", (dir / "depth").string(),
                                         "--views", (dir / "views").string(), "--out", (dir / "out").string()};
  auto missing = run_tool("s3d-preview", base);  // no right eye
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("right eye"));
  CHECK(!fs::exists(dir / "out"));
  auto args = base;
  args.insert(args.end(), {"--wiggle-views", "4"});  // needs one --inner-views folder
  auto usage = run_tool("s3d-preview", args);
  CHECK(usage.exit_code == 2);
  CHECK_THAT(usage.err, Catch::Contains("--inner-views"));
  CHECK(!fs::exists(dir / "out"));
}

namespace {

using namespace s3d::pipeline_test;

// The preview folders of a work folder (those s3d made: they hold .s3d-preview).
std::vector<fs::path> previews(const fs::path& work) {
  std::vector<fs::path> found;
  if (!fs::exists(work / "preview")) return found;
  for (const auto& e : fs::directory_iterator(work / "preview"))
    if (fs::exists(e.path() / ".s3d-preview")) found.push_back(e.path());
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string()[0] != '.') names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string param(const fs::path& preview, const std::string& key) {
  std::istringstream in(read_file(preview / "params.txt"));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  return {};
}

}  // namespace

TEST_CASE("make preview: N of each picture, then PARALLAX=20 changes them and estimates no depth", "[pipeline]") {
  TempDir dir("s3d-preview-make");
  const fs::path clip = make_clip(dir.path());
  const fs::path out = dir / "out.mkv", work = dir / "work";

  auto help = run_program("make", {"-f", (s3d::test::source_dir() / "Makefile.pipeline").string(), "help"});
  CHECK_THAT(help.out, Catch::Contains("preview"));
  CHECK_THAT(help.out, Catch::Contains("PREVIEW_FRAMES"));

  auto first = run_program("make", make_args(clip, out, work, {"preview", "PREVIEW_FRAMES=3"}));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  auto found = previews(work);
  REQUIRE(found.size() == 1);
  const fs::path p = found[0];
  // Spread evenly, never the first or last frame: 120 * k / 4.
  CHECK(param(p, "FRAMES") == "30 60 90");
  const std::vector<std::string> png = {"000030.png", "000060.png", "000090.png"};
  for (const char* sub : {"colormap", "pair", "anaglyph", "packed", "frames"}) {
    INFO(sub);
    CHECK(names_in(p / sub) == png);
  }
  CHECK(names_in(p / "wiggle") == std::vector<std::string>{"000030.gif", "000060.gif", "000090.gif"});
  const cv::Size frame(kWidth, kHeight);
  for (const auto& n : png) {
    CHECK(s3d::read_image_size(p / "colormap" / n) == cv::Size(kWidth + legend_width(kHeight), kHeight));
    CHECK(s3d::read_image_size(p / "pair" / n) == cv::Size(2 * kWidth, kHeight));
    CHECK(s3d::read_image_size(p / "anaglyph" / n) == frame);
    CHECK(s3d::read_image_size(p / "packed" / n) == frame);  // FORMAT=hsbs: the source's size
    CHECK(gif_frame_count(p / "wiggle" / (n.substr(0, 6) + ".gif")) == 2);
  }
  // The sheet: one row per frame, its header the parameters.
  std::vector<std::string> items;
  {
    std::istringstream in(read_file(p / "params.txt"));
    for (std::string line; std::getline(in, line);) items.push_back(line);
  }
  const SheetLayout layout = sheet_layout(frame, 3, 0, 480);
  const auto lines = wrap_header(items, layout.size.width - 2 * layout.gap);
  CHECK(s3d::read_image_size(p / "contact-sheet.png") ==
        sheet_layout(frame, 3, static_cast<int>(lines.size()), 480).size);
  // The page names every picture and GIF.
  const std::string html = read_file(p / "index.html");
  for (const char* sub : {"colormap", "pair", "anaglyph", "packed", "wiggle"})
    for (const auto& n : names_in(p / sub)) CHECK_THAT(html, Catch::Contains(std::string("src=\"") + sub + "/" + n + "\""));
  CHECK_THAT(html, Catch::Contains("contact-sheet.png"));
  CHECK_THAT(html, Catch::Contains("<th>PARALLAX</th><td>15</td>"));
  CHECK_THAT(read_file(work / "preview" / "index.html"), Catch::Contains(p.filename().string()));
  // No depth of the run's and no stamp of the run's views: the run's own work is untouched.
  CHECK(!fs::exists(work / "depth"));
  CHECK(!fs::exists(work / "params" / "views.params"));
  CHECK(param(p, "DEPTH") == "estimated now: 30 60 90");

  // Another parallax: a folder of its own beside the first, other pictures, the same depth —
  // no s3d-depth ran, no depth file was rewritten.
  const auto depth_before = tree_identity(work / "preview" / "depth");
  REQUIRE(depth_before.size() == 2 * 3 + 1);  // PNG + sidecar per frame, .params
  auto second = run_program("make", make_args(clip, out, work, {"preview", "PREVIEW_FRAMES=3", "PARALLAX=20"}));
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  found = previews(work);
  REQUIRE(found.size() == 2);
  const fs::path q = found[0] == p ? found[1] : found[0];
  CHECK(tree_identity(work / "preview" / "depth") == depth_before);
  CHECK(read_file(q / "commands.sh").find("s3d-depth") == std::string::npos);
  CHECK(param(q, "DEPTH") == "estimated by an earlier preview: 30 60 90");
  CHECK(param(q, "PARALLAX") == "20");
  for (const auto& n : png) {
    CHECK(read_file(q / "depth" / n) == read_file(p / "depth" / n));
    CHECK(s3d::test::max_abs_diff(s3d::read_image(q / "pair" / n), s3d::read_image(p / "pair" / n)) > 0);
  }
  CHECK_THAT(read_file(q / "index.html"), Catch::Contains("<th>PARALLAX</th><td>20</td>"));
}

TEST_CASE("make preview after a run: its kept depth reused, the preview's own depth and eyes are the run's", "[pipeline]") {
  TempDir dir("s3d-preview-run");
  const fs::path clip = make_clip(dir.path());
  const fs::path out = dir / "out.mkv", work = dir / "work", fresh = dir / "fresh";
  const std::vector<std::string> params = {"FORMAT=fsbs", "PREVIEW_TIMES=1.5 3.99"};  // frames 37 (chunk 1), 99 (chunk 3)
  auto run = run_program("make", make_args(clip, out, work, params));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto kept_before = depth_identity(work);

  auto args = make_args(clip, out, work, params);
  args.push_back("preview");
  auto preview = run_program("make", args);
  INFO(preview.err);
  REQUIRE(preview.exit_code == 0);
  auto found = previews(work);
  REQUIRE(found.size() == 1);
  const fs::path p = found[0];
  CHECK(param(p, "FRAMES") == "37 99");
  CHECK(param(p, "DEPTH") == "kept by the run: 37 99");
  CHECK(read_file(p / "commands.sh").find("s3d-depth") == std::string::npos);
  CHECK(depth_identity(work) == kept_before);
  CHECK(s3d::test::files_below(work / "preview" / "depth").size() == 1);  // its .params only: nothing estimated

  // The same preview in a work folder without the run: the depth it estimates for frames 37
  // and 99 alone (--range t:t+1) is the run's kept depth byte for byte (the window
  // normalization looks back over the frames before t itself), and so are the pictures.
  auto fresh_args = make_args(clip, out, fresh, params);
  fresh_args.push_back("preview");
  auto alone = run_program("make", fresh_args);
  INFO(alone.err);
  REQUIRE(alone.exit_code == 0);
  found = previews(fresh);
  REQUIRE(found.size() == 1);
  const fs::path f = found[0];
  CHECK(param(f, "DEPTH") == "estimated now: 37 99");
  for (const char* n : {"000037", "000099"}) {
    INFO(n);
    const std::string png = std::string(n) + ".png";
    CHECK(read_file(f / "depth" / png) == read_file(p / "depth" / png));
    CHECK(read_file(f / "depth" / (std::string(n) + ".json")) == read_file(p / "depth" / (std::string(n) + ".json")));
    for (const char* sub : {"views/left", "views/right", "packed"})
      CHECK(s3d::test::max_abs_diff(s3d::read_image(f / sub / png), s3d::read_image(p / sub / png)) == 0);
    // The eyes (s3d-parallax --out DIR) are the chain's packed eyes (--out - --pack fsbs) exactly.
    cv::Mat pair;
    cv::hconcat(s3d::read_image(p / "views/left" / png), s3d::read_image(p / "views/right" / png), pair);
    CHECK(s3d::test::max_abs_diff(pair, s3d::read_image(p / "packed" / png)) == 0);
  }
  // And the packed frame is the film's frame: frame 37 of the run's output, decoded. Compared
  // on luma (x264 at CRF 18 keeps luma at ~37 dB here; 4:2:0 halves the chroma of this
  // 160x96 test pattern's sharp colour edges): at least 32 dB, and 6 dB nearer than a
  // preview at another parallax.
  auto other = make_args(clip, out, work, params);
  other.insert(other.end(), {"preview", "PARALLAX=25"});
  REQUIRE(run_program("make", other).exit_code == 0);
  found = previews(work);
  REQUIRE(found.size() == 2);
  const fs::path o = found[0] == p ? found[1] : found[0];
  auto decoded = run_program("ffmpeg", {"-v", "error", "-y", "-i", out.string(), "-vf", "select=eq(n\\,37)", "-frames:v",
                                        "1", (dir / "film37.png").string()});
  REQUIRE(decoded.exit_code == 0);
  const auto luma = [](const cv::Mat& bgr) {
    cv::Mat y;
    cv::cvtColor(bgr, y, cv::COLOR_BGR2GRAY);
    return y;
  };
  // (The preview's frame is the source's frame 37 as ffmpeg decodes it, exactly.)
  auto source = run_program("ffmpeg", {"-v", "error", "-y", "-i", clip.string(), "-vf", "select=eq(n\\,37)", "-frames:v",
                                       "1", (dir / "source37.png").string()});
  REQUIRE(source.exit_code == 0);
  CHECK(s3d::test::max_abs_diff(s3d::read_image(dir / "source37.png"), s3d::read_image(p / "frames" / "000037.png")) == 0);
  const cv::Mat film = luma(s3d::read_image(dir / "film37.png"));
  const double same = s3d::test::psnr(film, luma(s3d::read_image(p / "packed" / "000037.png")));
  const double differs = s3d::test::psnr(film, luma(s3d::read_image(o / "packed" / "000037.png")));
  INFO("luma PSNR against the film's frame: " << same << " dB (same parameters), " << differs << " dB (PARALLAX=25)");
  CHECK(same >= 32);
  CHECK(same > differs + 6);
}
