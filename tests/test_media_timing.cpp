// Real films, correctly: frame rates from timestamps (headers lie), the video's start offset
// kept against the audio, dispositions/languages/titles in MKV and MP4, joins that cover the
// film or are refused, and a full disk that never looks like success.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "imageio/image_file.hpp"
#include "media/encode_segment.hpp"
#include "media/extract_frames.hpp"
#include "media/join_segments.hpp"
#include "media/probe.hpp"
#include "test_media_helpers.hpp"

using namespace s3d;
using namespace s3d::media;
using namespace s3d::media_test;
using test::TempDir;

namespace {

// A 23.976 fps clip whose video starts 0.083 s after its AC3 audio, with a French audio
// track (default) and an English subtitle track (not default), in Matroska (1 ms time base).
fs::path make_late_clip(const fs::path& dir, double seconds = 2) {
  std::ofstream(dir / "subs.srt") << "1\n00:00:00,200 --> 00:00:00,900\nHello\n\n";
  const fs::path clip = dir / "late.mkv";
  ffmpeg({"-itsoffset", "0.083", "-f", "lavfi", "-i", "testsrc2=s=96x64:r=24000/1001:d=" + std::to_string(seconds),
          "-f", "lavfi", "-i", "sine=sample_rate=48000:d=" + std::to_string(seconds + 0.2), "-i",
          (dir / "subs.srt").string(), "-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "ultrafast",
          "-c:a", "ac3", "-c:s", "srt", "-metadata:s:a:0", "language=fra", "-metadata:s:a:0",
          "title=Version française", "-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=English",
          "-disposition:a:0", "default", "-disposition:s:0", "0", clip.string()});
  return clip;
}

double start_of(const fs::path& file, const std::string& stream) {
  return std::stod(probe_value(file, stream, "stream=start_time"));
}

// The clip's frames extracted and encoded as `count` segments (ultrafast), as the pipeline does.
std::vector<fs::path> segments_of(const fs::path& clip, const fs::path& dir, int count) {
  ExtractOptions e;
  e.input = clip;
  e.out_dir = dir / "frames";
  e.png_compression = 0;
  extract_frames(e);
  const auto info = probe_video(clip);
  std::vector<fs::path> segments;
  const int64_t per = (info.frame_count + count - 1) / count;
  for (int64_t a = 0; a < info.frame_count; a += per) {
    SegmentOptions s;
    s.frames_dir = dir / "frames";
    s.out = dir / ("seg" + std::to_string(a) + ".mkv");
    s.fps = info.frame_rate;
    s.range = {a, std::min(a + per, info.frame_count)};
    s.codec = "libx264";
    s.preset = "ultrafast";
    encode_segment(s);
    segments.push_back(s.out);
  }
  return segments;
}

}  // namespace

TEST_CASE("a header that lies about the frame rate: the timestamps decide", "[e2e]") {
  TempDir dir("s3d-timing");
  // 30 frames a second, muxed with every stream header saying 60 (an encoder's default duration).
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=64x48:r=60:d=1", "-vf", "select='not(mod(n,2))'", "-fps_mode", "vfr",
          "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", (dir / "lies.mkv").string()});
  REQUIRE(probe_value(dir / "lies.mkv", "v:0", "stream=r_frame_rate") == "60/1");
  const auto info = probe_video(dir / "lies.mkv");
  CHECK(info.frame_rate.str() == "30/1");
  CHECK(info.rate_source == "timestamps");
  CHECK(info.frame_count == 30);
  CHECK(info.duration == Approx(1.0).margin(1.0 / 30));
  ExtractOptions e;
  e.input = dir / "lies.mkv";
  e.out_dir = dir / "frames";
  e.png_compression = 0;
  CHECK(extract_frames(e).written == 30);

  // An honest 1 ms time base keeps its exact rational rate; --fps forces another grid.
  const auto late = probe_video(make_late_clip(dir.path()));
  CHECK(late.frame_rate.str() == "24000/1001");
  CHECK(late.rate_source == "r_frame_rate");
  CHECK(late.frame_count == 48);
  const auto forced = probe_video(dir / "late.mkv", true, Rational{12, 1});
  CHECK(forced.frame_rate.str() == "12/1");
  CHECK(forced.frame_count == 24);
}

TEST_CASE("a video stream without frames is said in words", "[e2e]") {
  TempDir dir("s3d-timing");
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=64x48:r=25:d=1", "-f", "lavfi", "-i", "sine=d=1", "-c:v", "libx264",
          "-c:a", "aac", (dir / "a.mkv").string()});
  ffmpeg({"-i", (dir / "a.mkv").string(), "-map", "0", "-c", "copy", "-bsf:v", "noise=drop=1",
          (dir / "empty.mkv").string()});
  CHECK_THROWS_WITH(probe_video(dir / "empty.mkv"), Catch::Contains("empty.mkv") && Catch::Contains("no video frames"));
}

TEST_CASE("the joined film keeps the source's video start offset against its audio (MKV and MP4)", "[e2e]") {
  TempDir dir("s3d-timing");
  const fs::path clip = make_late_clip(dir.path());
  const double source_offset = start_of(clip, "v:0") - start_of(clip, "a:0");
  REQUIRE(source_offset > 0.08);
  JoinOptions j;
  j.segments = segments_of(clip, dir.path(), 3);
  j.source = clip;
  for (const char* name : {"film.mkv", "film.mp4"}) {
    INFO(name);
    j.out = dir / name;
    join_segments(j);
    const double offset = start_of(j.out, "v:0") - start_of(j.out, "a:0");
    CHECK(std::abs(offset - source_offset) <= 1001.0 / 24000);  // within one frame
    CHECK(probe_value(j.out, "v:0", "stream=nb_read_frames", {"-count_frames"}) == "48");
  }
}

TEST_CASE("dispositions, languages and titles survive in MKV and MP4, and the video is the default stream", "[e2e]") {
  TempDir dir("s3d-timing");
  const fs::path clip = make_late_clip(dir.path());
  JoinOptions j;
  j.segments = segments_of(clip, dir.path(), 1);
  j.source = clip;
  j.out = dir / "film.mkv";
  join_segments(j);
  CHECK(probe_value(j.out, "v:0", "stream_disposition=default") == "1");
  CHECK(probe_value(j.out, "a:0", "stream_disposition=default") == "1");
  CHECK(probe_value(j.out, "s:0", "stream_disposition=default") == "0");
  CHECK(probe_value(j.out, "a:0", "stream_tags=language") == "fra");
  CHECK(probe_value(j.out, "a:0", "stream_tags=title") == "Version française");
  CHECK(probe_value(j.out, "s:0", "stream_tags=title") == "English");
  j.out = dir / "film.mp4";
  join_segments(j);
  CHECK(probe_value(j.out, "v:0", "stream_disposition=default") == "1");
  CHECK(probe_value(j.out, "a:0", "stream_disposition=default") == "1");
  // ffmpeg alone would enable (show) the only subtitle track; it stays off as in the source.
  CHECK(probe_value(j.out, "s:0", "stream_disposition=default") == "0");
  CHECK(probe_value(j.out, "a:0", "stream_tags=language") == "fra");
  CHECK(probe_value(j.out, "s:0", "stream_tags=language") == "eng");
  // MP4 names tracks by their handler: the titles are kept there.
  CHECK(probe_value(j.out, "a:0", "stream_tags=handler_name") == "Version française");
  CHECK(probe_value(j.out, "s:0", "stream_tags=handler_name") == "English");
}

TEST_CASE("segments start at the first frame present, and a join that does not cover the film is refused", "[e2e]") {
  TempDir dir("s3d-timing");
  const fs::path clip = make_late_clip(dir.path());
  ExtractOptions e;
  e.input = clip;
  e.out_dir = dir / "frames";
  e.range = FrameRange::parse("40:48");
  e.png_compression = 0;
  extract_frames(e);
  SegmentOptions s;  // no --range: the frames present, 40..47
  s.frames_dir = dir / "frames";
  s.out = dir / "tail.mkv";
  s.fps = {24000, 1001};
  s.codec = "libx264";
  s.preset = "ultrafast";
  CHECK(encode_segment(s).frames == 8);
  JoinOptions j;
  j.segments = {dir / "tail.mkv"};
  j.source = clip;
  j.out = dir / "film.mkv";
  CHECK_THROWS_WITH(join_segments(j), Catch::Contains("the segments hold 8 frames") && Catch::Contains("late.mkv") &&
                                          Catch::Contains("join every segment"));
  CHECK_FALSE(fs::exists(dir / "film.mkv"));
}

TEST_CASE("a disk that fills up never leaves a truncated segment or film under its name", "[e2e]") {
  TempDir dir("s3d-timing");
  const fs::path clip = make_late_clip(dir.path(), 4);
  const auto segments = segments_of(clip, dir.path(), 1);
  SegmentOptions s;
  s.frames_dir = dir / "frames";
  s.out = dir / "full.mkv";
  s.fps = {24000, 1001};
  s.codec = "libx264";
  s.preset = "ultrafast";
  s.crf = 0;  // large frames: the limit is reached mid-file
  {
    test::FileSizeLimit disk(20 * 1024);  // ffmpeg inherits the limit: its writes fail with EFBIG
    CHECK_THROWS_WITH(encode_segment(s), Catch::Contains("full.mkv"));
  }
  CHECK_FALSE(fs::exists(dir / "full.mkv"));
  JoinOptions j;
  j.segments = segments;
  j.source = clip;
  j.out = dir / "film.mkv";
  {
    test::FileSizeLimit disk(static_cast<long>(fs::file_size(segments[0]) / 2));
    CHECK_THROWS_WITH(join_segments(j), Catch::Contains("film.mkv"));
  }
  CHECK_FALSE(fs::exists(dir / "film.mkv"));
  for (const auto& f : test::files_below(dir.path())) CHECK(f.filename().string().front() != '.');
  CHECK_NOTHROW(join_segments(j));  // with room, the same join succeeds
}
