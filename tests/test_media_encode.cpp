// s3d-encode: segments (deterministic bytes, odd sizes, 10-bit, validation), and joining
// them with the source's streams: audio packets bit-identical, frame count, durations,
// StereoMode / st3d read back by ffprobe, the spherical video boxes of vr180 (MP4 sv3d,
// Matroska Projection), subtitles, chapters, metadata, awkward names.
#include <fstream>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "core/errors.hpp"
#include "media/encode_segment.hpp"
#include "media/extract_frames.hpp"
#include "media/join_segments.hpp"
#include "media/mp4_spherical.hpp"
#include "media/probe.hpp"
#include "stereo/stereo_format.hpp"
#include "media/video_codec.hpp"
#include "support/skip.hpp"
#include "test_media_helpers.hpp"

using namespace s3d;
using namespace s3d::media;
using namespace s3d::media_test;
using test::TempDir;

namespace {

// Frames 0..count-1 of a clip, extracted at `scale` (W:H) for speed.
fs::path extract_small(const fs::path& clip, const fs::path& out, const std::string& scale) {
  ExtractOptions o;
  o.input = clip;
  o.out_dir = out;
  o.scale = parse_scale(scale);
  o.png_compression = 0;
  extract_frames(o);
  return out;
}

SegmentOptions fast_segment(const fs::path& frames, const fs::path& out, const std::string& fps, const std::string& range) {
  SegmentOptions o;
  o.frames_dir = frames;
  o.out = out;
  o.fps = *parse_rational(fps);
  o.range = FrameRange::parse(range);
  o.codec = "libx264";
  o.preset = "ultrafast";
  return o;
}

double seconds_of(const std::string& text) { return std::stod(text); }

}  // namespace

TEST_CASE("the concat list quotes every path", "[unit]") {
  const std::string list = concat_list({"/x/it's.mkv", "/y/a b,c.mkv"});
  CHECK(list == "ffconcat version 1.0\nfile '/x/it'\\''s.mkv'\nfile '/y/a b,c.mkv'\n");
}

TEST_CASE("codec auto uses NVENC only when a test encode works", "[e2e]") {
  CHECK(encoder_works("libx264"));
  CHECK_FALSE(encoder_works("no_such_encoder"));
  CHECK(resolve_codec("auto") == (encoder_works("h264_nvenc") ? "h264_nvenc" : "libx264"));
  CHECK(resolve_codec("libx265") == "libx265");
  SegmentOptions o;
  o.frames_dir = "f";
  o.out = "s.mkv";
  o.fps = {25, 1};
  o.codec = "h264";
  CHECK_THROWS_WITH(o.check(), Catch::StartsWith("--codec: expected auto, libx264"));
}

TEST_CASE("a segment encodes to identical bytes twice, odd sizes are padded, frames are checked first", "[e2e]") {
  TempDir dir("s3d-media");
  // 161x91 frames: one black column and row are added for 4:2:0.
  ffmpeg({"-f", "lavfi", "-i", "testsrc=s=161x91:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
          "yuv444p", (dir / "odd.mp4").string()});
  const auto frames = extract_small(dir / "odd.mp4", dir / "frames", "161:91");
  REQUIRE(list_frames(frames).size() == 25);

  auto o = fast_segment(frames, dir / "a.mkv", "25", "5:20");
  const auto a = encode_segment(o);
  CHECK(a.frames == 15);
  CHECK(a.coded_size == cv::Size(162, 92));
  o.out = dir / "b.mkv";
  encode_segment(o);
  const auto read = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(read(dir / "a.mkv") == read(dir / "b.mkv"));  // deterministic: the resume test relies on it
  CHECK(probe_value(dir / "a.mkv", "v:0", "stream=nb_read_frames", {"-count_frames"}) == "15");
  CHECK(probe_value(dir / "a.mkv", "v:0", "stream=width,height") == "162\n92");

  // The picture survives encoding: decoded frame 0 of the segment vs frame 5, cropped back.
  extract_small(dir / "a.mkv", dir / "decoded", "162:92");
  const cv::Mat decoded = read_image(frame_path(dir / "decoded", 0, ".png"));
  const cv::Mat original = read_image(frame_path(frames, 5, ".png"));
  // Compared on luma (4:2:0 halves the chroma of this saturated pattern): >= 30 dB at crf 18,
  // while the same picture one pixel off scores far lower.
  cv::Mat decoded_gray, original_gray;
  cv::cvtColor(decoded(cv::Rect(0, 0, 161, 91)), decoded_gray, cv::COLOR_BGR2GRAY);
  cv::cvtColor(original, original_gray, cv::COLOR_BGR2GRAY);
  CHECK(test::psnr(decoded_gray, original_gray) > 30);
  CHECK(test::psnr(decoded_gray(cv::Rect(1, 0, 160, 91)), original_gray(cv::Rect(0, 0, 160, 91))) < 25);
  // The added column is black (limited-range black decodes to <= 16 after chroma bleed at the edge).
  CHECK(cv::mean(decoded.col(161))[1] < 40);

  // Existing segment: skipped; --force re-encodes.
  CHECK(encode_segment(o).skipped);
  // A missing frame or a frame of another size fails before anything is written.
  fs::remove(frame_path(frames, 12, ".png"));
  auto missing = fast_segment(frames, dir / "c.mkv", "25", "5:20");
  CHECK_THROWS_WITH(encode_segment(missing), Catch::Contains("1 missing, the first missing is frame 12"));
  write_image_atomic(frame_path(frames, 12, ".png"), cv::Mat(10, 10, CV_8UC3, cv::Scalar::all(0)));
  CHECK_THROWS_WITH(encode_segment(missing), Catch::Contains("10x10") && Catch::Contains("161x91"));
  CHECK_FALSE(fs::exists(dir / "c.mkv"));
  for (const auto& f : test::files_below(dir.path())) CHECK(f.filename().string().front() != '.');

  auto bad = fast_segment(frames, dir / "d.avi", "25", "0:5");
  CHECK_THROWS_AS(bad.check(), UsageError);
  bad.out = dir / "d.mkv";
  bad.pix_fmt = "yuv422p";
  CHECK_THROWS_AS(bad.check(), UsageError);
  bad.pix_fmt = "yuv420p";
  bad.crf = 20;
  bad.bitrate = "2M";
  CHECK_THROWS_AS(bad.check(), UsageError);
}

TEST_CASE("10-bit segments", "[e2e]") {
  TempDir dir("s3d-media");
  make_bframe_clip(dir / "clip.mp4", 0.5, "64x48");
  const auto frames = extract_small(dir / "clip.mp4", dir / "frames", "64:48");
  auto o = fast_segment(frames, dir / "ten.mkv", "24000/1001", "");
  o.pix_fmt = "yuv420p10le";
  encode_segment(o);
  CHECK(probe_value(dir / "ten.mkv", "v:0", "stream=pix_fmt") == "yuv420p10le");
  CHECK(probe_value(dir / "ten.mkv", "v:0", "stream=r_frame_rate") == "24000/1001");
}

TEST_CASE("segments -> final keeps every audio, subtitle, chapter and tag of the source (MKV and MP4)", "[e2e]") {
  TempDir dir("s3d-media");
  // A source with two audio tracks (languages, a title), subtitles, chapters, a global title.
  std::ofstream(dir / "subs.srt") << "1\n00:00:00,500 --> 00:00:01,500\nBonjour\n\n";
  std::ofstream(dir / "meta.txt") << ";FFMETADATA1\ntitle=Le film\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\n"
                                     "title=Un\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1000\nEND=2000\ntitle=Deux\n";
  const fs::path source = dir / "source.mkv";
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=96x64:r=25:d=2", "-f", "lavfi", "-i", "sine=f=440:d=2", "-f", "lavfi", "-i",
          "sine=f=660:d=2", "-i", (dir / "subs.srt").string(), "-i", (dir / "meta.txt").string(), "-map", "0", "-map",
          "1", "-map", "2", "-map", "3", "-map_metadata", "4", "-map_chapters", "4", "-c:v", "libx264", "-preset",
          "ultrafast", "-c:a", "aac", "-c:s", "srt", "-metadata:s:a:0", "language=eng", "-metadata:s:a:1",
          "language=fra", "-metadata:s:a:1", "title=Commentaire", "-metadata:s:s:0", "language=fre",
          "-metadata:s:v:0", "language=fra", source.string()});
  const auto frames = extract_small(source, dir / "frames", "96:64");
  REQUIRE(list_frames(frames).size() == 50);
  std::vector<fs::path> segments;
  for (const char* range : {"0:20", "20:37", "37:"}) {
    segments.push_back(dir / ("seg " + std::string(range).substr(0, 2) + ".mkv"));
    encode_segment(fast_segment(frames, segments.back(), "25", range));
  }

  JoinOptions j;
  j.segments = segments;
  j.source = source;
  j.out = dir / "final.mkv";
  j.stereo.layout = stereo::Layout::kFullOverUnder;
  j.suffix = true;
  const auto result = join_segments(j);
  const fs::path mkv = dir / "final_TBF_fulltb.mkv";
  CHECK(result.output == mkv);
  CHECK(result.frames == 50);
  CHECK(result.warnings.empty());
  REQUIRE(fs::exists(mkv));
  CHECK(packets_md5(mkv, "0:a:0") == packets_md5(source, "0:a:0"));
  CHECK(packets_md5(mkv, "0:a:1") == packets_md5(source, "0:a:1"));
  CHECK(packets_md5(mkv, "0:s:0") == packets_md5(source, "0:s:0"));
  CHECK(probe_value(mkv, "a", "stream_tags=language") == "eng\nfra");
  CHECK(probe_value(mkv, "a:1", "stream_tags=title") == "Commentaire");
  CHECK(probe_value(mkv, "s", "stream_tags=language") == "fre");
  CHECK(probe_value(mkv, "v:0", "stream_tags=language") == "fra");
  CHECK(probe_value(mkv, "", "format_tags=title") == "Le film");
  CHECK(probe_value(mkv, "", "chapter_tags=title").find("Un\nDeux") != std::string::npos);
  CHECK(probe_value(mkv, "v:0", "stream_tags=stereo_mode") == "top_bottom");
  CHECK(probe_value(mkv, "v:0", "stream=nb_read_frames", {"-count_frames"}) == "50");
  // Segments joined as they are: the final video packets are the segments' packets.
  CHECK(join_segments(j).skipped);

  j.out = dir / "final.mp4";
  j.stereo.layout = stereo::Layout::kHalfSideBySide;
  const auto mp4_result = join_segments(j);
  const fs::path mp4 = dir / "final_LR_3dh.mp4";
  REQUIRE(fs::exists(mp4));
  CHECK(packets_md5(mp4, "0:a:0") == packets_md5(source, "0:a:0"));
  CHECK(packets_md5(mp4, "0:a:1") == packets_md5(source, "0:a:1"));
  CHECK(probe_value(mp4, "s:0", "stream=codec_name") == "mov_text");  // converted, and said so:
  REQUIRE(mp4_result.warnings.size() == 1);
  CHECK(mp4_result.warnings[0].find("mov_text") != std::string::npos);
  CHECK(probe_value(mp4, "v:0", "stream_side_data=type").find("side by side") != std::string::npos);
  CHECK(probe_value(mp4, "", "chapter_tags=title").find("Un\nDeux") != std::string::npos);
  CHECK(probe_value(mp4, "v:0", "stream=nb_frames") == "50");

  // Right eye first: tagged so in Matroska (StereoMode 11 / 2) and named so; MP4's st3d box
  // cannot say it, so that file is left untagged and the warning says why.
  j.stereo = {stereo::Layout::kHalfSideBySide, stereo::EyeOrder::kRightFirst};
  j.out = dir / "crossed.mkv";
  CHECK(join_segments(j).output == dir / "crossed_RL_3dh.mkv");
  CHECK(probe_value(dir / "crossed_RL_3dh.mkv", "v:0", "stream_tags=stereo_mode") == "right_left");
  j.stereo = {stereo::Layout::kHalfOverUnder, stereo::EyeOrder::kRightFirst};
  j.out = dir / "crossed.mkv";
  CHECK(join_segments(j).output == dir / "crossed_BT.mkv");
  CHECK(probe_value(dir / "crossed_BT.mkv", "v:0", "stream_tags=stereo_mode") == "bottom_top");
  j.out = dir / "crossed.mp4";
  const auto crossed_mp4 = join_segments(j);
  CHECK(probe_value(crossed_mp4.output, "v:0", "stream_side_data=type").empty());
  REQUIRE(crossed_mp4.warnings.size() == 2);  // the subtitle conversion, and this
  CHECK_THAT(crossed_mp4.warnings[0] + crossed_mp4.warnings[1], Catch::Contains("not tagged as 3D") &&
                                                                    Catch::Contains("hou, right-first"));
  for (const auto& f : test::files_below(dir.path())) CHECK(f.filename().string().front() != '.');
}

namespace {

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The bytes of a 4-byte big-endian number.
std::string be32(uint32_t v) {
  return {char(v >> 24), char(v >> 16 & 0xff), char(v >> 8 & 0xff), char(v & 0xff)};
}

}  // namespace

TEST_CASE("spherical video boxes: written into an MP4's video track, read back, replaced, refused at the front", "[e2e]") {
  TempDir dir("s3d-media");
  // Audio first, so the video is the second track; moov at the end (no +faststart).
  const fs::path mp4 = dir / "clip.mp4";
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=128x64:r=25:d=1", "-f", "lavfi", "-i", "sine=f=440:d=1", "-map", "1:a",
          "-map", "0:v", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", mp4.string()});
  CHECK_FALSE(read_mp4_spherical(mp4).stereo);
  CHECK_FALSE(read_mp4_spherical(mp4).equirect);
  const stereo::EquirectBounds bounds{0, 0, 1u << 30, 1u << 30};
  write_mp4_spherical(mp4, Mp4StereoMode::kLeftRight, bounds);
  const auto read = read_mp4_spherical(mp4);
  REQUIRE(read.stereo);
  CHECK(*read.stereo == Mp4StereoMode::kLeftRight);
  REQUIRE(read.equirect);
  CHECK(*read.equirect == bounds);
  CHECK(read.metadata_source == "s3d");
  CHECK(read.yaw == 0);
  CHECK(read.pitch == 0);
  CHECK(read.roll == 0);
  // What ffmpeg reads: side by side, equirectangular cropped by bounds ("tiled"), and every
  // frame still decodes, the audio untouched.
  CHECK(probe_value(mp4, "v:0", "stream_side_data=type") == "side by side");
  CHECK(probe_value(mp4, "v:0", "stream_side_data=projection") == "tiled equirectangular");
  CHECK(probe_value(mp4, "v:0", "stream=nb_read_frames", {"-count_frames"}) == "25");
  CHECK(probe_value(mp4, "a:0", "stream=codec_name") == "aac");
  // Written again: replaced, not doubled.
  const auto size = fs::file_size(mp4);
  write_mp4_spherical(mp4, Mp4StereoMode::kTopBottom, bounds);
  CHECK(fs::file_size(mp4) == size);
  CHECK(*read_mp4_spherical(mp4).stereo == Mp4StereoMode::kTopBottom);
  CHECK(probe_value(mp4, "v:0", "stream_side_data=type") == "top and bottom");
  // A moov before the media data would move every chunk offset: refused, the file unchanged.
  const fs::path front = dir / "front.mp4";
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=64x32:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast", "-movflags",
          "+faststart", front.string()});
  const std::string before = file_bytes(front);
  CHECK_THROWS_WITH(write_mp4_spherical(front, Mp4StereoMode::kLeftRight, bounds),
                    Catch::Contains(front.string()) && Catch::Contains("not at the end"));
  CHECK(file_bytes(front) == before);
  CHECK_THROWS_WITH(read_mp4_spherical(dir / "none.mp4"), Catch::Contains("none.mp4"));
}

TEST_CASE("vr180, cross-eyed and rgbd joins: the tags VR, 3D and depth players read (MKV and MP4)", "[e2e]") {
  TempDir dir("s3d-media");
  const fs::path source = dir / "source.mkv";  // 2 s with sound; packed frames are 2:1 as vr180's are
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=128x64:r=25:d=2", "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "libx264",
          "-preset", "ultrafast", "-c:a", "aac", source.string()});
  const auto frames = extract_small(source, dir / "frames", "128:64");
  std::vector<fs::path> segments;
  for (const char* range : {"0:30", "30:"}) {
    segments.push_back(dir / ("seg" + std::string(range).substr(0, 2) + ".mkv"));
    auto o = fast_segment(frames, segments.back(), "25", range);
    o.preset = "veryfast";  // with B-frames: the MP4 step keeps their timing
    encode_segment(o);
  }
  JoinOptions j;
  j.segments = segments;
  j.source = source;
  j.suffix = true;

  // The reference: the same segments joined as plain hsbs.
  j.out = dir / "flat.mkv";
  const fs::path flat = join_segments(j).output;

  j.stereo.layout = stereo::Layout::kVr180;
  j.out = dir / "film.mkv";
  const auto mkv_result = join_segments(j);
  const fs::path mkv = dir / "film_180x180_3dh_LR.mkv";
  CHECK(mkv_result.output == mkv);
  CHECK(mkv_result.warnings.empty());
  REQUIRE(fs::exists(mkv));
  CHECK(probe_value(mkv, "v:0", "stream_tags=stereo_mode") == "left_right");
  CHECK(probe_value(mkv, "v:0", "stream_side_data=projection") == "tiled equirectangular");
  // The Matroska elements themselves (Matroska spec, Video/Projection): ProjectionType (0x7671)
  // = 1, equirectangular; ProjectionPrivate (0x7672), 20 bytes: version and flags 0, then the
  // bounds top, bottom, left, right as 0.32 fixed point.
  const std::string bytes = file_bytes(mkv);
  CHECK(bytes.find(std::string("\x76\x71\x81\x01", 4)) != std::string::npos);
  CHECK(bytes.find(std::string("\x76\x72\x94", 3) + be32(0) + be32(0) + be32(0) + be32(1u << 30) + be32(1u << 30)) !=
        std::string::npos);
  CHECK(probe_value(mkv, "v:0", "stream=nb_read_frames", {"-count_frames"}) == "50");
  CHECK(packets_md5(mkv, "0:a:0") == packets_md5(source, "0:a:0"));
  CHECK(packets_md5(mkv, "0:v:0") == packets_md5(flat, "0:v:0"));  // the segments' packets
  // The detour through an MP4 keeps the timing: the video starts where the plain join's does.
  CHECK(std::abs(seconds_of(probe_value(mkv, "v:0", "stream=start_time")) -
                 seconds_of(probe_value(flat, "v:0", "stream=start_time"))) < 0.002);

  j.out = dir / "film.mp4";
  const auto mp4_result = join_segments(j);
  const fs::path mp4 = dir / "film_180x180_3dh_LR.mp4";
  CHECK(mp4_result.output == mp4);
  CHECK(mp4_result.warnings.empty());
  const auto boxes = read_mp4_spherical(mp4);
  REQUIRE(boxes.stereo);
  CHECK(*boxes.stereo == Mp4StereoMode::kLeftRight);
  REQUIRE(boxes.equirect);
  CHECK(*boxes.equirect == *stereo::equirect_bounds(j.stereo));
  CHECK(probe_value(mp4, "v:0", "stream_side_data=projection") == "tiled equirectangular");
  CHECK(probe_value(mp4, "v:0", "stream=nb_read_frames", {"-count_frames"}) == "50");
  CHECK(packets_md5(mp4, "0:a:0") == packets_md5(source, "0:a:0"));
  CHECK(std::abs(seconds_of(probe_value(mp4, "v:0", "stream=start_time")) -
                 seconds_of(probe_value(flat, "v:0", "stream=start_time"))) < 0.002);
  // Deterministic like every join.
  j.out = dir / "again.mp4";
  CHECK(file_bytes(join_segments(j).output) == file_bytes(mp4));

  // cross-eyed: Matroska says right eye first; MP4 cannot, so it stays untagged, and says why.
  j.stereo.layout = stereo::Layout::kCrossEyed;
  j.out = dir / "crossed.mkv";
  const fs::path crossed = join_segments(j).output;
  CHECK(crossed == dir / "crossed_RLF_Full_SBS.mkv");
  CHECK(probe_value(crossed, "v:0", "stream_tags=stereo_mode") == "right_left");
  j.out = dir / "crossed.mp4";
  const auto crossed_mp4 = join_segments(j);
  CHECK(probe_value(crossed_mp4.output, "v:0", "stream_side_data=type").empty());
  REQUIRE(crossed_mp4.warnings.size() == 1);
  CHECK_THAT(crossed_mp4.warnings[0], Catch::Contains("not tagged as 3D") && Catch::Contains("cross-eyed"));

  // rgbd: one view and its depth, not a stereo pair: no tag, no suffix, no warning.
  j.stereo.layout = stereo::Layout::kRgbd;
  j.out = dir / "depth.mkv";
  CHECK(join_segments(j).output == dir / "depth.mkv");
  CHECK(probe_value(dir / "depth.mkv", "v:0", "stream_tags=stereo_mode").empty());
  j.out = dir / "depth.mp4";
  const auto rgbd_mp4 = join_segments(j);
  CHECK(rgbd_mp4.warnings.empty());
  CHECK(probe_value(dir / "depth.mp4", "v:0", "stream_side_data=type").empty());
  for (const auto& f : test::files_below(dir.path())) CHECK(f.filename().string().front() != '.');
}

TEST_CASE("16-bit depth maps survive an ffv1 segment and extraction at their global indices bit-exactly", "[e2e]") {
  TempDir dir("s3d-media");
  fs::create_directories(dir / "depth");
  cv::RNG rng(3);
  std::vector<cv::Mat> maps;
  for (int i = 40; i < 52; ++i) {  // frames 40..51 of a film, full 16-bit range, odd size
    cv::Mat m(45, 67, CV_16UC1);
    rng.fill(m, cv::RNG::UNIFORM, 0, 65536);
    maps.push_back(m);
    write_image_atomic(frame_path(dir / "depth", i, ".png"), m);
  }
  std::ofstream(dir / "depth" / "000040.json") << "{}";  // sidecars sit beside the maps
  auto o = fast_segment(dir / "depth", dir / "depth.mkv", "24000/1001", "40:52");
  o.codec = "ffv1";
  const auto seg = encode_segment(o);
  CHECK(seg.codec == "ffv1");
  CHECK(probe_value(dir / "depth.mkv", "v:0", "stream=pix_fmt") == "gray16le");
  ExtractOptions e;
  e.input = dir / "depth.mkv";
  e.out_dir = dir / "back";
  e.first_index = 40;
  e.range = FrameRange::parse("40:52");
  CHECK(extract_frames(e).written == 12);
  const auto back = list_frames(dir / "back");
  REQUIRE(back.size() == 12);
  for (size_t i = 0; i < back.size(); ++i) {
    CHECK(back[i].index == 40 + static_cast<int64_t>(i));
    const cv::Mat m = read_image(back[i].path, kReadUnchanged);
    REQUIRE(m.type() == CV_16UC1);
    S3D_CHECK_IMAGES_MATCH(maps[i], m, test::kExact);
  }
  // A lossy codec would destroy depth maps: refused before anything is written.
  o.codec = "libx264";
  o.out = dir / "lossy.mkv";
  CHECK_THROWS_WITH(encode_segment(o), Catch::Contains("16-bit gray") && Catch::Contains("ffv1"));
  CHECK_FALSE(fs::exists(dir / "lossy.mkv"));
}

TEST_CASE("s3d-encode end to end on the shared clip with audio: bit-identical audio, frame count, durations", "[reference]") {
  const auto bbb = shared_video("mov_bbb.mp4");
  S3D_REQUIRE_SHARED();
  TempDir dir("s3d-media");
  // Awkward names all the way: spaces, quotes, $ and non-ASCII.
  const fs::path work = dir / "wörk dir $1 'q'";
  fs::create_directories(work);
  const fs::path source = work / "sou\"rce\" $HOME ü.mp4";
  fs::copy_file(bbb, source);
  auto r = test::run_tool("s3d-extract", {source.string(), "--out", (work / "frames").string(), "--quiet"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> segs;
  for (const char* range : {"0:90", "90:180", "180:"}) {
    segs.push_back((work / ("seg '" + std::string(range).substr(0, 2) + "'.mkv")).string());
    r = test::run_tool("s3d-encode", {"--frames", (work / "frames").string(), "--fps", "25/1", "--range", range,
                                      "--out", segs.back(), "--preset", "ultrafast"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  std::vector<std::string> args = {"--segments"};
  args.insert(args.end(), segs.begin(), segs.end());
  args.insert(args.end(), {"--source", source.string(), "--out", (work / "fïnal 3d.mkv").string(), "--layout", "hsbs",
                           "--suffix"});
  r = test::run_tool("s3d-encode", args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  const fs::path final_file = work / "fïnal 3d_LR_3dh.mkv";
  REQUIRE(fs::exists(final_file));

  CHECK(packets_md5(final_file, "0:a") == packets_md5(bbb, "0:a"));
  CHECK(probe_value(final_file, "v:0", "stream=nb_read_frames", {"-count_frames"}) == "250");
  CHECK(probe_value(final_file, "v:0", "stream_tags=stereo_mode") == "left_right");
  CHECK(probe_value(final_file, "v:0", "stream_side_data=type").find("side by side") != std::string::npos);
  // Durations within one frame (1/25 s): the container's, and the video's.
  CHECK(std::abs(seconds_of(probe_value(final_file, "", "format=duration")) -
                 seconds_of(probe_value(bbb, "", "format=duration"))) <= 1.0 / 25);
  const auto last_video_end = [](const fs::path& f) {
    const std::string packets = probe_value(f, "v:0", "packet=pts_time,duration_time");
    double end = 0;
    std::istringstream in(packets);
    std::string pts, dur;
    while (std::getline(in, pts) && std::getline(in, dur)) end = std::max(end, std::stod(pts) + std::stod(dur));
    return end;
  };
  CHECK(std::abs(last_video_end(final_file) - last_video_end(bbb)) <= 1.0 / 25);
}

TEST_CASE("s3d-encode joins for the no-audio clip", "[reference]") {
  const auto clip = shared_video("sample_640x360_noaudio.mp4");
  S3D_REQUIRE_SHARED();
  TempDir dir("s3d-media");
  const auto frames = extract_small(clip, dir / "frames", "128:72");
  REQUIRE(list_frames(frames).size() == 400);
  std::vector<fs::path> segments = {dir / "a.mkv", dir / "b.mkv"};
  encode_segment(fast_segment(frames, segments[0], "30000/1001", "0:211"));
  encode_segment(fast_segment(frames, segments[1], "30000/1001", "211:"));
  JoinOptions j;
  j.segments = segments;
  j.source = clip;
  j.out = dir / "final.mkv";
  join_segments(j);
  CHECK(probe_value(j.out, "", "stream=codec_type") == "video");  // nothing else, and no error
  CHECK(probe_value(j.out, "v:0", "stream=nb_read_frames", {"-count_frames"}) == "400");
  CHECK(probe_value(j.out, "v:0", "stream=r_frame_rate") == "30000/1001");
  CHECK(std::abs(seconds_of(probe_value(j.out, "", "format=duration")) - 400 * 1001.0 / 30000) <= 1001.0 / 30000);
  // Joining the same segments again gives the same bytes (the pipeline's resume test).
  j.out = dir / "again.mkv";
  join_segments(j);
  const auto read = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(read(dir / "final.mkv") == read(dir / "again.mkv"));
  CHECK(probe_value(j.out, "v:0", "stream_tags=stereo_mode") == "left_right");  // hsbs, the default
  // Anaglyph: no stereo label (a 2D picture for glasses).
  j.out = dir / "anaglyph.mkv";
  j.stereo.layout = stereo::Layout::kAnaglyph;
  j.suffix = true;
  CHECK(join_segments(j).output == dir / "anaglyph.mkv");
  CHECK(probe_value(j.out, "v:0", "stream_tags=stereo_mode").empty());
  CHECK(probe_value(j.out, "v:0", "stream=nb_read_frames", {"-count_frames"}) == "400");
}

TEST_CASE("s3d-encode usage errors and --help", "[e2e]") {
  TempDir dir("s3d-media");
  auto r = test::run_tool("s3d-encode", {"--help"});
  REQUIRE(r.exit_code == 0);
  for (const char* option : {"--frames", "--fps", "--out", "--range", "--codec", "--crf", "--bitrate", "--preset",
                             "--pix-fmt", "--segments", "--source", "--layout", "--suffix", "--force", "--threads",
                             "(default: auto)", "(default: medium)", "(default: yuv420p)", "(default: hsbs)"}) {
    INFO(option);
    CHECK(r.out.find(option) != std::string::npos);
  }
  r = test::run_tool("s3d-encode", {"--frames", dir.path().string(), "--out", (dir / "s.mkv").string()});
  CHECK(r.exit_code == 2);  // no --fps
  r = test::run_tool("s3d-encode", {"--segments", "a.mkv", "--source", "x.mp4", "--out", (dir / "f.avi").string()});
  CHECK(r.exit_code == 2);
  r = test::run_tool("s3d-encode", {"--segments", (dir / "missing.mkv").string(), "--source", "x.mp4", "--out",
                                    (dir / "f.mkv").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("missing.mkv") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "f.mkv"));
}
