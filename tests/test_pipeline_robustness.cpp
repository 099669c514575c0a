// Makefile.pipeline on real-film situations and user mistakes: a late-starting 23.976 fps
// MKV with AC3 and subtitles, a header that lies about the rate, a source replaced in place,
// a failed model switch, kept depth with frames missing, two runs on one work folder, temp
// files a killed run left, a changed CHUNK, OUT=INPUT, a "$" in a file name, and make -n.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <thread>

#include "support/pipeline_helpers.hpp"
#include "support/test_support.hpp"

using namespace s3d::pipeline_test;
using s3d::test::TempDir;
using s3d::test::run_program;

namespace {

std::string ffprobe_value(const fs::path& file, const std::string& stream, const std::string& entries) {
  auto r = run_program("ffprobe", {"-v", "error", "-select_streams", stream, "-show_entries", entries, "-of",
                                   "default=noprint_wrappers=1:nokey=1", file.string()});
  REQUIRE(r.exit_code == 0);
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  return r.out;
}

void run_ffmpeg(std::vector<std::string> args) {
  args.insert(args.begin(), {"-v", "error", "-y"});
  auto r = run_program("ffmpeg", args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// make's arguments for a clip of any name, heuristic depth, small chunks.
std::vector<std::string> args_for(const fs::path& input, const fs::path& out, const fs::path& work,
                                  std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"-f", (s3d::test::source_dir() / "Makefile.pipeline").string(),
                                   "INPUT=" + input.string(), "OUT=" + out.string(), "WORK=" + work.string(),
                                   "CHUNK=20", "MODEL=heuristic", "CODEC=libx264", "PRESET=ultrafast",
                                   "BIN=" + s3d::test::bin_dir().string(), "THREADS=1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_CASE("pipeline: a late-starting 23.976 fps MKV with AC3 and subtitles keeps its timing and streams", "[pipeline]") {
  TempDir dir("s3d-robust");
  std::ofstream(dir / "subs.srt") << "1\n00:00:00,200 --> 00:00:01,500\nHello\n\n";
  const fs::path clip = dir / "late film.mkv";
  run_ffmpeg({"-itsoffset", "0.083", "-f", "lavfi", "-i", "testsrc2=s=96x64:r=24000/1001:d=2.5", "-f", "lavfi", "-i",
              "sine=sample_rate=48000:d=2.7", "-i", (dir / "subs.srt").string(), "-map", "0", "-map", "1", "-map", "2",
              "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "ac3", "-c:s", "srt", "-metadata:s:a:0",
              "language=fra", "-metadata:s:a:0", "title=Version française", "-metadata:s:s:0", "language=eng",
              "-metadata:s:s:0", "title=English", "-disposition:a:0", "default", "-disposition:s:0", "0",
              clip.string()});
  const double frame = 1001.0 / 24000;
  const double source_offset = std::stod(ffprobe_value(clip, "v:0", "stream=start_time")) -
                               std::stod(ffprobe_value(clip, "a:0", "stream=start_time"));
  for (const char* name : {"3d.mkv", "3d.mp4"}) {
    INFO(name);
    const fs::path out = dir / name;
    auto r = run_program("make", args_for(clip, out, dir / "work", {"-j2"}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(ffprobe_value(out, "v:0", "stream=r_frame_rate") == "24000/1001");
    auto frames = run_program("ffprobe", {"-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                                          "stream=nb_read_frames", "-of", "default=nw=1:nk=1", out.string()});
    CHECK(std::stoi(frames.out) == 60);  // 2.5 s at 23.976
    const double offset = std::stod(ffprobe_value(out, "v:0", "stream=start_time")) -
                          std::stod(ffprobe_value(out, "a:0", "stream=start_time"));
    CHECK(std::abs(offset - source_offset) <= frame);
    CHECK(60 * frame == Approx(2.5).margin(frame));  // the video's duration, within one frame
    CHECK(ffprobe_value(out, "a:0", "stream=codec_name") == "ac3");
    CHECK(ffprobe_value(out, "a:0", "stream_tags=language") == "fra");
    CHECK(ffprobe_value(out, "s:0", "stream_tags=language") == "eng");
    CHECK(ffprobe_value(out, "a:0", "stream_disposition=default") == "1");
    CHECK(ffprobe_value(out, "s:0", "stream_disposition=default") == "0");
    CHECK(ffprobe_value(out, "v:0", "stream_disposition=default") == "1");
    const std::string title_key = std::string(name).find(".mp4") != std::string::npos ? "handler_name" : "title";
    CHECK(ffprobe_value(out, "a:0", "stream_tags=" + title_key) == "Version française");
    CHECK(ffprobe_value(out, "s:0", "stream_tags=" + title_key) == "English");
    CHECK(stream_md5(out, "0:a") == stream_md5(clip, "0:a"));
  }
}

TEST_CASE("pipeline: a header that lies about the rate converts at the real one, and FPS= overrides it", "[pipeline]") {
  TempDir dir("s3d-robust");
  const fs::path clip = dir / "lies.mkv";
  run_ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=96x64:r=60:d=2", "-f", "lavfi", "-i", "sine=d=2", "-vf",
              "select='not(mod(n,2))'", "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0",
              "-c:a", "aac", clip.string()});
  REQUIRE(ffprobe_value(clip, "v:0", "stream=r_frame_rate") == "60/1");
  auto r = run_program("make", args_for(clip, dir / "out.mkv", dir / "work", {"-j2"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("30/1 fps") && Catch::Contains("-fps_mode cfr"));  // and says so
  CHECK(ffprobe_value(dir / "out.mkv", "v:0", "stream=r_frame_rate") == "30/1");
  CHECK(probe(dir / "out.mkv", "v", "stream=nb_read_frames") == "60\n");
  auto forced = run_program("make", args_for(clip, dir / "out15.mkv", dir / "work", {"FPS=15", "-j2"}));
  INFO(forced.err);
  REQUIRE(forced.exit_code == 0);
  CHECK(ffprobe_value(dir / "out15.mkv", "v:0", "stream=r_frame_rate") == "15/1");
  CHECK(probe(dir / "out15.mkv", "v", "stream=nb_read_frames") == "30\n");
}

TEST_CASE("pipeline: a source replaced in place is probed and converted again", "[pipeline]") {
  TempDir dir("s3d-robust");
  const fs::path clip = make_clip(dir.path()), out = dir / "out.mkv", work = dir / "work";
  REQUIRE(run_program("make", make_args(clip, out, work, {"-j2"})).exit_code == 0);
  REQUIRE(probe(out, "v", "stream=nb_read_frames") == std::to_string(kFrames) + "\n");
  // The same name, other content (60 frames), and the old modification time.
  const auto mtime = fs::last_write_time(clip);
  run_ffmpeg({"-f", "lavfi", "-i", "testsrc=size=160x96:rate=25:duration=2.4", "-f", "lavfi", "-i", "sine=d=2.4",
              "-c:v", "libx264", "-c:a", "aac", "-shortest", (dir / "other.mkv").string()});
  fs::rename(dir / "other.mkv", clip);
  fs::last_write_time(clip, mtime);
  auto again = run_program("make", make_args(clip, out, work, {"-j2"}));
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(probe(out, "v", "stream=nb_read_frames") == "60\n");
  CHECK(stream_md5(out, "0:a") == stream_md5(clip, "0:a"));
}

TEST_CASE("pipeline: a model that cannot run leaves the kept depth alone", "[pipeline]") {
  TempDir dir("s3d-robust"), models("s3d-models");
  setenv("S3D_MODELS", models.path().c_str(), 1);  // no checkpoint anywhere it looks first
  const fs::path clip = make_clip(dir.path()), out = dir / "out.mkv", work = dir / "work";
  REQUIRE(run_program("make", make_args(clip, out, work, {"-j2"})).exit_code == 0);
  const auto depth = depth_identity(work);
  const std::string video = stream_md5(out, "0:v");
  auto vitl = run_program("make", make_args(clip, out, work, {"MODEL=" + (models / "missing.pth").string(), "-j2"}));
  CHECK(vitl.exit_code != 0);
  CHECK_THAT(vitl.err, Catch::Contains("missing.pth"));
  CHECK(depth_identity(work) == depth);
  auto back = run_program("make", make_args(clip, out, work, {"-j2"}));
  INFO(back.err);
  REQUIRE(back.exit_code == 0);
  CHECK(depth_identity(work) == depth);
  CHECK(stream_md5(out, "0:v") == video);
}

TEST_CASE("pipeline: kept depth with frames missing is completed, to the same film", "[pipeline]") {
  TempDir dir("s3d-robust");
  const fs::path clip = make_clip(dir.path()), out = dir / "out.mkv", work = dir / "work";
  REQUIRE(run_program("make", make_args(clip, out, work, {"-j2"})).exit_code == 0);
  const std::string reference = stream_md5(out, "0:v");
  // What a lost disk or a careless clean-up left: chunk 0001 without its last 7 depth frames
  // (field and sidecar) and without its segment.
  const fs::path kept = work / "depth" / "0001";
  for (int i = 2 * kChunk - 7; i < 2 * kChunk; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "%06d", i);
    REQUIRE(fs::remove(kept / (std::string(name) + ".png")));
    REQUIRE(fs::remove(kept / (std::string(name) + ".json")));
  }
  fs::remove(work / "segments" / "0001.mkv");
  auto r = run_program("make", make_args(clip, out, work, {"-j2"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(s3d::test::files_below(kept).size() == 2 * kChunk + 1);  // every frame's pair, and .params
  CHECK(probe(out, "v", "stream=nb_read_frames") == std::to_string(kFrames) + "\n");
  CHECK(stream_md5(out, "0:v") == reference);  // the same film as before the damage
}

TEST_CASE("pipeline: a second run on the same work folder is refused while the first runs", "[pipeline]") {
  TempDir dir("s3d-robust");
  const fs::path clip = make_clip(dir.path()), work = dir / "work";
  const pid_t first = start_make(make_args(clip, dir / "a.mkv", work), dir / "first.log");
  for (int i = 0; i < 200 && !fs::exists(work / "run-start"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto second = run_program("make", make_args(clip, dir / "b.mkv", work));
  CHECK(second.exit_code != 0);
  CHECK_THAT(second.err, Catch::Contains("another pipeline run is using"));
  int status = 0;
  waitpid(first, &status, 0);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  CHECK(probe(dir / "a.mkv", "v", "stream=nb_read_frames") == std::to_string(kFrames) + "\n");
  CHECK_FALSE(fs::exists(dir / "b.mkv"));
}

TEST_CASE("pipeline: temp files a killed run left are removed by the next run", "[pipeline]") {
  TempDir dir("s3d-robust");
  const fs::path clip = make_clip(dir.path()), out = dir / "out.mkv", work = dir / "work";
  fs::create_directories(work / "chunks" / "0002" / "frames");
  fs::create_directories(work / "segments");
  const std::vector<fs::path> leftovers = {work / "chunks" / "0002" / "frames" / ".000051.png.tmp4242-0",
                                           work / "segments" / ".0003.mkv.tmp4242-1",
                                           dir / ".out.mkv.tmp4242-2.ffconcat"};
  for (const auto& f : leftovers) std::ofstream(f) << "partial";
  auto r = run_program("make", make_args(clip, out, work, {"-j2"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto& f : leftovers) CHECK_FALSE(fs::exists(f));
}

TEST_CASE("pipeline: changing CHUNK starts the work afresh, never counting old chunks", "[pipeline]") {
  TempDir dir("s3d-robust");
  const fs::path clip = make_clip(dir.path()), out = dir / "out.mkv", work = dir / "work";
  REQUIRE(run_program("make", make_args(clip, out, work, {"-j2"})).exit_code == 0);  // 5 chunks of 25
  auto r = run_program("make", make_args(clip, out, work, {"CHUNK=40", "-j2"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("3/3 chunks") && !Catch::Contains("4/3") && !Catch::Contains("5/3"));
  CHECK(s3d::test::files_below(work / "segments").size() == 3);
  CHECK(probe(out, "v", "stream=nb_read_frames") == std::to_string(kFrames) + "\n");
}

TEST_CASE("pipeline: OUT=INPUT and an unescaped '$' are refused before anything is written", "[pipeline]") {
  TempDir dir("s3d-robust");
  const fs::path clip = make_clip(dir.path());
  const std::string before = stream_md5(clip, "0:v");
  auto same = run_program("make", make_args(clip, clip, dir / "work"));
  CHECK(same.exit_code == 2);
  CHECK_THAT(same.err, Catch::Contains("same file as INPUT"));
  CHECK(stream_md5(clip, "0:v") == before);
  CHECK_FALSE(fs::exists(dir / "work"));

  const fs::path dollar = dir / "film$1.mkv";
  fs::copy_file(clip, dollar);
  auto refused = run_program("make", args_for(dollar, dir / "d.mkv", dir / "work"));  // film$1: make would eat "$1"
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("'$'") && Catch::Contains("$$"));
  auto escaped = run_program("make", args_for(dir / "film$$1.mkv", dir / "d.mkv", dir / "work", {"-j2"}));
  INFO(escaped.err);
  CHECK(escaped.exit_code == 0);
  CHECK(fs::exists(dir / "d.mkv"));
}

TEST_CASE("pipeline: make -n prints the plan and changes nothing", "[pipeline]") {
  TempDir dir("s3d-robust");
  const fs::path clip = make_clip(dir.path()), out = dir / "out.mkv", work = dir / "work";
  REQUIRE(run_program("make", make_args(clip, out, work, {"-j2"})).exit_code == 0);
  const auto before = tree_identity(work);
  const auto out_before = fs::last_write_time(out);
  auto dry = run_program("make", make_args(clip, out, work, {"-n", "PARALLAX=9"}));
  INFO(dry.err);
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.out, Catch::Contains("chunk-segment.sh"));
  CHECK(tree_identity(work) == before);
  CHECK(fs::last_write_time(out) == out_before);
}
