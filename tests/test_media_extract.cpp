// s3d-extract: probing, frame-exact range extraction (shared clips and a generated
// H.264 clip with B-frames, open GOPs and a non-zero start), resuming, errors.
#include <fstream>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "media/extract_frames.hpp"
#include "media/probe.hpp"
#include "media/rational.hpp"
#include "media/subprocess.hpp"
#include "support/skip.hpp"
#include "test_media_helpers.hpp"

using namespace s3d;
using namespace s3d::media;
using namespace s3d::media_test;
using test::TempDir;

namespace {

ExtractOptions fast_options(const fs::path& input, const fs::path& out) {
  ExtractOptions o;
  o.input = input;
  o.out_dir = out;
  o.png_compression = 0;  // tests only compare pixels
  return o;
}

// Extracts the whole clip, then each range into its own store, and requires every frame
// of each range to equal the full extraction's frame of the same index.
void check_ranges_match_full(const fs::path& clip, const std::vector<FrameRange>& ranges, int64_t expected_frames,
                             std::optional<Rational> fps = std::nullopt) {
  TempDir dir("s3d-media");
  auto full_options = fast_options(clip, dir / "full");
  full_options.fps = fps;
  const auto full = extract_frames(full_options);
  REQUIRE(full.written == expected_frames);
  REQUIRE(list_frames(dir / "full").size() == static_cast<size_t>(expected_frames));
  for (const auto& range : ranges) {
    INFO("range " << range.str());
    const fs::path out = dir / ("range-" + std::to_string(range.start));
    auto options = fast_options(clip, out);
    options.range = range;
    options.fps = fps;
    const auto result = extract_frames(options);
    const int64_t end = range.is_open() ? expected_frames : range.end;
    CHECK(result.written == end - range.start);
    require_identical_frames(dir / "full", out, range.start, end);
  }
}

}  // namespace

TEST_CASE("parse_rational keeps frame rates exact", "[unit]") {
  CHECK(parse_rational("30000/1001")->str() == "30000/1001");
  CHECK(parse_rational("25")->str() == "25/1");
  CHECK(parse_rational("29.97")->str() == "2997/100");
  CHECK(parse_rational("50/2")->str() == "25/1");
  for (const char* bad : {"", "0", "0/1", "1/0", "-25", "abc", "25/", "1.2.3"}) {
    INFO(bad);
    CHECK_FALSE(parse_rational(bad));
  }
  // Frame 1001 of a 30000/1001 grid starting at 2 s is exactly 2 + 1001*1001/30000 s.
  CHECK(frame_time(2.0, 1001, *parse_rational("30000/1001")) == Approx(2.0 + 1001.0 * 1001.0 / 30000.0).epsilon(1e-12));
}

TEST_CASE("scale and other extraction options are validated before any work", "[unit]") {
  const ScaleSize s = parse_scale("640:-1");
  CHECK(s.width == 640);
  CHECK(s.height == -1);
  for (const char* bad : {"640", "a:b", "-1:-1", "0:10", "640:360x", ":", "99999:10"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_scale(bad), UsageError);
  }
  TempDir dir("s3d-media");
  auto o = fast_options(dir / "missing.mp4", dir / "out");
  o.image_format = "bmp";
  CHECK_THROWS_AS(o.check(), UsageError);
  o.image_format = "png";
  o.hwaccel = "vaapi";
  CHECK_THROWS_AS(o.check(), UsageError);
  o.hwaccel = "none";
  o.png_compression = 10;
  CHECK_THROWS_AS(o.check(), UsageError);
  o.png_compression = 1;
  CHECK_THROWS_AS(extract_frames(o), Error);  // the input does not exist
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("probe reads the shared clips", "[reference]") {
  const auto bbb = shared_video("mov_bbb.mp4"), noaudio = shared_video("sample_640x360_noaudio.mp4");
  S3D_REQUIRE_SHARED();
  const auto a = probe_video(bbb);
  CHECK(a.frame_count == 250);
  CHECK(a.count_method == "nb_frames");
  CHECK(a.frame_rate.str() == "25/1");
  CHECK(a.width == 320);
  CHECK(a.height == 176);
  CHECK(a.pix_fmt == "yuv420p");
  REQUIRE(a.streams.size() == 1);
  CHECK(a.streams[0].type == "audio");
  CHECK(a.streams[0].codec == "aac");
  CHECK(a.streams[0].channels == 2);

  const auto b = probe_video(noaudio);
  CHECK(b.frame_count == 400);
  CHECK(b.frame_rate.str() == "30000/1001");
  CHECK(b.width == 640);
  CHECK(b.height == 360);
  CHECK(b.streams.empty());
  CHECK(b.duration == Approx(400 * 1001.0 / 30000).margin(1001.0 / 30000));

  // The binary prints the same as JSON on stdout.
  const auto r = test::run_tool("s3d-extract", {"--probe", noaudio.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json::Value doc = json::parse(r.out, "s3d-extract --probe");
  const json::ObjectReader probe(doc, "s3d-extract --probe");
  CHECK(probe.integer("frame_count") == 400);
  CHECK(probe.object("frame_rate").integer("num") == 30000);
  CHECK(probe.object("frame_rate").integer("den") == 1001);
  CHECK(probe.string("frame_rate_text") == "30000/1001");
  CHECK(probe.at("streams").items().empty());
  // and, for Makefile.pipeline, as make variables
  const auto mk = test::run_tool("s3d-extract", {"--probe", noaudio.string(), "--probe-format", "make"});
  REQUIRE(mk.exit_code == 0);
  CHECK_THAT(mk.out, Catch::Contains("\nS3D_FRAMES := 400\n") && Catch::Contains("\nS3D_FPS := 30000/1001\n") &&
                         Catch::Contains("\nS3D_WIDTH := 640\n") && Catch::Contains("\nS3D_VARIABLE_RATE := 0\n"));
}

TEST_CASE("probe lists every audio, subtitle and attachment stream with codec and language", "[e2e]") {
  TempDir dir("s3d-media");
  std::ofstream(dir / "subs.srt") << "1\n00:00:00,000 --> 00:00:00,500\nHello \"there\"\n\n";
  std::ofstream(dir / "font.ttf") << "not really a font";
  const fs::path clip = dir / "multi.mkv";
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=64x48:r=25:d=1", "-f", "lavfi", "-i", "sine=f=440:d=1", "-f", "lavfi", "-i",
          "sine=f=660:d=1", "-i", (dir / "subs.srt").string(), "-map", "0", "-map", "1", "-map", "2", "-map", "3",
          "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "flac", "-c:s", "srt", "-metadata:s:a:0", "language=eng",
          "-metadata:s:a:1", "language=fra", "-metadata:s:a:1", "title=Commentaire \"VF\"", "-metadata:s:s:0",
          "language=deu", "-attach", (dir / "font.ttf").string(), "-metadata:s:t:0", "mimetype=font/ttf",
          clip.string()});
  const auto info = probe_video(clip);
  REQUIRE(info.streams.size() == 4);
  CHECK(info.streams[0].type == "audio");
  CHECK(info.streams[0].codec == "flac");
  CHECK(info.streams[0].language == "eng");
  CHECK(info.streams[1].language == "fra");
  CHECK(info.streams[1].title == "Commentaire \"VF\"");
  CHECK(info.streams[2].type == "subtitle");
  CHECK(info.streams[2].codec == "subrip");
  CHECK(info.streams[2].language == "deu");
  CHECK(info.streams[3].type == "attachment");
  CHECK(info.streams[3].filename == "font.ttf");
  CHECK(info.count_method == "count_packets");  // Matroska has no frame count in its header
  CHECK(info.frame_count == 25);
  CHECK(probe_video(clip, /*count_frames=*/false).frame_count == -1);  // not read through
  // A bounded range skips the count; running past the end is still caught, from the video's
  // last timestamp, before any frame is written.
  auto o = fast_options(clip, dir / "frames");
  o.range = FrameRange::parse("20:30");
  CHECK_THROWS_WITH(extract_frames(o), Catch::Contains("has about 25 frames") && Catch::Contains("END <= 25"));
  CHECK_FALSE(fs::exists(dir / "frames"));
  const std::string json = probe_json(info);
  CHECK(json.find("\"title\": \"Commentaire \\\"VF\\\"\"") != std::string::npos);
  CHECK(json.find("\"type\": \"attachment\"") != std::string::npos);
}

TEST_CASE("probe errors name the file: missing, not a video, no video stream, no ffprobe", "[e2e]") {
  TempDir dir("s3d-media");
  CHECK_THROWS_WITH(probe_video(dir / "nope.mp4"), Catch::Contains("nope.mp4") && Catch::Contains("does not exist"));
  std::ofstream(dir / "text.mp4") << "this is not a video";
  CHECK_THROWS_WITH(probe_video(dir / "text.mp4"), Catch::Contains("text.mp4"));
  ffmpeg({"-f", "lavfi", "-i", "sine=d=0.5", "-c:a", "flac", (dir / "audio only.mka").string()});
  CHECK_THROWS_WITH(probe_video(dir / "audio only.mka"),
                    Catch::Contains("no video stream") && Catch::Contains("audio flac"));
  {
    ScopedEnv env("S3D_FFPROBE", "/nonexistent/ffprobe");
    CHECK_THROWS_WITH(probe_video(dir / "text.mp4"), Catch::Contains("/nonexistent/ffprobe") && Catch::Contains("not found"));
  }
  const auto r = test::run_tool("s3d-extract", {(dir / "audio only.mka").string(), "--out", (dir / "o").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("no video stream") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "o"));
}

TEST_CASE("range extraction equals full extraction: generated H.264 with B-frames, open GOPs, start 1.234 s", "[e2e]") {
  TempDir dir("s3d-media");
  for (const char* name : {"gen.mp4", "gen.mkv"}) {  // nb_frames (MP4) and counted packets (MKV)
    INFO(name);
    make_bframe_clip(dir / name, 9.0);
    const auto info = probe_video(dir / name);
    CHECK(info.start_time == Approx(1.234).margin(1e-3));
    CHECK(info.frame_count == 216);  // ceil(9 s * 24000/1001)
    // Inside a GOP, across GOP boundaries (every 24 frames), and the open end.
    check_ranges_match_full(dir / name, {FrameRange::parse("1:4"), FrameRange::parse("22:27"),
                                         FrameRange::parse("100:105"), FrameRange::parse("190:")}, 216);
  }
}

TEST_CASE("Matroska with AAC: the video starts at 0.021 s, timestamps in ms, every frame is kept", "[e2e]") {
  TempDir dir("s3d-media");
  // AAC's 1024 priming samples at 48 kHz shift the whole file by 21 ms (no negative
  // timestamps): half a frame period at 23.976 fps, where a grid laid at absolute multiples
  // of 1/rate makes neighbouring frames collide (one dropped, one doubled).
  const fs::path clip = dir / "av.mkv";
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=128x72:r=24000/1001:d=6", "-f", "lavfi", "-i", "sine=d=6:sample_rate=48000",
          "-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-g", "48", "-c:a", "aac", clip.string()});
  const auto info = probe_video(clip);
  CHECK(info.start_time == Approx(0.021).margin(1e-6));
  REQUIRE(info.frame_count == 144);  // counted packets
  check_ranges_match_full(clip, {FrameRange::parse("47:50"), FrameRange::parse("130:")}, 144);
  // Every decoded picture appears exactly once: compare with ffmpeg's own decode order.
  TempDir ref("s3d-media");
  ffmpeg({"-i", clip.string(), "-map", "0:v:0", "-fps_mode", "passthrough", (ref / "%06d.png").string()});
  auto o = fast_options(clip, dir / "mine");
  o.range = FrameRange::parse("0:144");
  extract_frames(o);
  for (int64_t k : {0, 1, 71, 143}) {
    INFO("frame " << k);
    // ffmpeg numbers its files from 1; PNG is lossless: tolerance 0.
    S3D_CHECK_IMAGES_MATCH(read_image(ref / (frame_filename(k + 1, ".png"))), read_image(frame_path(dir / "mine", k, ".png")), test::kExact);
  }
}

TEST_CASE("variable frame rate: a constant grid at the average rate (or --fps), the same for ranges", "[e2e]") {
  TempDir dir("s3d-media");
  // 25 fps with every 5th frame dropped: timestamps with gaps, 20 frames a second on average.
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=96x64:r=25:d=8", "-vf", "select='not(eq(mod(n\\,5)\\,3))'", "-fps_mode",
          "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "12", (dir / "vfr.mp4").string()});
  const auto info = probe_video(dir / "vfr.mp4");
  CHECK(info.variable_rate);
  CHECK(info.frame_rate == info.avg_frame_rate);
  CHECK(info.frame_rate.value() == Approx(20).epsilon(0.02));
  CHECK(info.count_method == "duration*rate");
  check_ranges_match_full(dir / "vfr.mp4", {FrameRange::parse("7:13"), FrameRange::parse("77:")}, info.frame_count);
  // A forced rate lays its own grid, again identically for full and range extraction.
  const int64_t at25 = std::llround(info.duration * 25);
  check_ranges_match_full(dir / "vfr.mp4", {FrameRange::parse("2:9"), FrameRange::parse("150:")}, at25, Rational{25, 1});
}

TEST_CASE("range extraction equals full extraction on the shared clips", "[reference]") {
  const auto bbb = shared_video("mov_bbb.mp4"), noaudio = shared_video("sample_640x360_noaudio.mp4");
  S3D_REQUIRE_SHARED();
  check_ranges_match_full(bbb, {FrameRange::parse("2:5"), FrameRange::parse("97:103"), FrameRange::parse("246:")}, 250);
  // B-frames; its second keyframe is frame 250.
  check_ranges_match_full(noaudio, {FrameRange::parse("1:3"), FrameRange::parse("247:253"), FrameRange::parse("397:")},
                          400);
}

TEST_CASE("extraction resumes: only missing frames are written, --force redoes them", "[e2e]") {
  TempDir dir("s3d-media");
  make_bframe_clip(dir / "clip.mp4", 2.0);
  auto o = fast_options(dir / "clip.mp4", dir / "frames");
  o.range = FrameRange::parse("10:20");
  CHECK(extract_frames(o).written == 10);
  const auto reference = read_image(frame_path(dir / "frames", 12, ".png"));

  fs::remove(frame_path(dir / "frames", 12, ".png"));
  fs::remove(frame_path(dir / "frames", 15, ".png"));
  o.range = FrameRange::parse("5:25");
  const auto resumed = extract_frames(o);
  CHECK(resumed.written == 12);  // 5..9, 12, 15, 20..24
  CHECK(resumed.skipped == 8);
  CHECK(resumed.decoder_runs == 1);  // gaps this short are decoded through in one run
  S3D_CHECK_IMAGES_MATCH(read_image(frame_path(dir / "frames", 12, ".png")), reference, test::kExact);

  CHECK(extract_frames(o).written == 0);  // finished: nothing to do
  o.force = true;
  CHECK(extract_frames(o).written == 20);
  for (const auto& f : test::files_below(dir / "frames"))
    CHECK(f.filename().string().front() != '.');  // no temp files left

  // --force with the other image format would store frames twice: refused up front.
  o.image_format = "jpg";
  CHECK_THROWS_WITH(extract_frames(o), Catch::Contains("store it twice"));
  // A range past the end names the frame count.
  o.force = false;
  o.image_format = "png";
  o.range = FrameRange::parse("40:60");
  CHECK_THROWS_WITH(extract_frames(o), Catch::Contains("48 frames"));
}

TEST_CASE("s3d-extract end to end: odd size, --scale, jpg, a name with spaces, quotes, $ and non-ASCII", "[e2e]") {
  TempDir dir("s3d-media");
  const fs::path weird = dir / "d ir" / "it's \"$HOME\" ünïcödé.mp4";
  fs::create_directories(weird.parent_path());
  // Odd sizes need 4:4:4 in H.264 (and testsrc, as testsrc2 rounds sizes to even).
  ffmpeg({"-f", "lavfi", "-i", "testsrc=s=161x91:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
          "yuv444p", weird.string()});
  const fs::path out = dir / "o $ut'";
  auto r = test::run_tool("s3d-extract", {weird.string(), "--out", out.string(), "--range", "3:9"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());  // stdout is for data only
  CHECK(r.err.find("6 frames extracted") != std::string::npos);
  const auto frames = list_frames(out);
  REQUIRE(frames.size() == 6);
  CHECK(frames.front().index == 3);
  CHECK(read_image_size(frames.front().path) == cv::Size(161, 91));

  r = test::run_tool("s3d-extract", {weird.string(), "--out", (dir / "small").string(), "--scale", "80:-1",
                                     "--image-format", "jpg", "--range", "0:2", "--quiet"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(read_image_size(frame_path(dir / "small", 0, ".jpg")) == cv::Size(80, 46));  // 91*80/161 = 45.2 -> even 46

  // Usage errors exit 2 and write nothing.
  r = test::run_tool("s3d-extract", {weird.string(), "--out", (dir / "x").string(), "--hwaccel", "magic"});
  CHECK(r.exit_code == 2);
  CHECK_FALSE(fs::exists(dir / "x"));
  // ffmpeg itself failing: its stderr is shown.
  {
    ScopedEnv env("S3D_FFMPEG", "/nonexistent/ffmpeg");
    r = test::run_tool("s3d-extract", {weird.string(), "--out", (dir / "y").string()});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("/nonexistent/ffmpeg") != std::string::npos);
  }
}

TEST_CASE("a rotated source (display matrix) is extracted upright, in both image formats", "[reference]") {
  const auto bbb = shared_video("mov_bbb.mp4");
  S3D_REQUIRE_SHARED();
  TempDir dir("s3d-media");
  ffmpeg({"-i", bbb.string(), "-t", "1", "-map", "0:v", "-c", "copy", "-metadata:s:v:0", "rotate=90",
          (dir / "rotated.mp4").string()});
  const auto info = probe_video(dir / "rotated.mp4");
  CHECK(info.width == 176);
  CHECK(info.height == 320);
  for (const std::string format : {"png", "jpg"}) {
    INFO(format);
    auto o = fast_options(dir / "rotated.mp4", dir / format);
    o.image_format = format;
    o.range = FrameRange::parse("0:3");
    extract_frames(o);
    CHECK(read_image_size(frame_path(dir / format, 2, "." + format)) == cv::Size(176, 320));
  }
}

TEST_CASE("s3d-extract --help documents every option and default", "[e2e]") {
  const auto r = test::run_tool("s3d-extract", {"--help"});
  REQUIRE(r.exit_code == 0);
  for (const char* option : {"--probe", "--out", "--range", "--scale", "--fps", "--hwaccel", "--image-format",
                             "--png-compression", "--quality", "--force", "--threads", "--quiet"}) {
    INFO(option);
    CHECK(r.out.find(option) != std::string::npos);
  }
  for (const char* fallback : {"(default: none)", "(default: png)", "(default: 1)", "(default: 95)"}) {
    INFO(fallback);
    CHECK(r.out.find(fallback) != std::string::npos);
  }
}
