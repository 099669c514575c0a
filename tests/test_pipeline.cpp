// Makefile.pipeline end to end on generated clips with audio, using the heuristic depth:
// the result plays (one video stream of the layout's size, audio bit-identical, every
// frame present), SIGKILL at random moments or in the middle of a streamed chain then re-run
// gives an identical file, a parallax-only change never rewrites depth maps, and peak disk use
// stays within the chunk bound.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "support/pipeline_helpers.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using s3d::test::TempDir;
using s3d::test::run_program;

using namespace s3d::pipeline_test;


TEST_CASE("pipeline converts a clip with audio, and a parallax-only change keeps the depth maps", "[pipeline]") {
  TempDir dir("s3d-pipeline");
  const fs::path clip = make_clip(dir.path());
  const fs::path out = dir / "out 3d.mkv", work = dir / "work";

  auto run = run_program("make", make_args(clip, out, work, {"-j2"}));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("chunks"));  // the overall progress line

  // One video stream of the hsbs layout's size (= the source's), every frame, same audio.
  CHECK(probe(out, "v", "stream=width,height,nb_read_frames") ==
        std::to_string(kWidth) + "," + std::to_string(kHeight) + "," + std::to_string(kFrames) + "\n");
  CHECK(stream_md5(out, "0:a") == stream_md5(clip, "0:a"));
  CHECK(s3d::test::files_below(work / "chunks").empty());  // scratch frames deleted

  const auto depth_before = depth_identity(work);
  REQUIRE(depth_before.size() >= kFrames);
  const std::string video_before = stream_md5(out, "0:v");

  // Same parameters: nothing to do, nothing rewritten.
  auto again = run_program("make", make_args(clip, out, work));
  REQUIRE(again.exit_code == 0);
  CHECK(stream_md5(out, "0:v") == video_before);

  // Parallax change: depth untouched (same inode and mtime), output changed.
  auto changed = run_program("make", make_args(clip, out, work, {"PARALLAX=6", "-j2"}));
  INFO(changed.err);
  REQUIRE(changed.exit_code == 0);
  CHECK(depth_identity(work) == depth_before);
  CHECK(stream_md5(out, "0:v") != video_before);
  CHECK(stream_md5(out, "0:a") == stream_md5(clip, "0:a"));
  CHECK(probe(out, "v", "stream_tags=stereo_mode") == "left_right\n");

  // The eyes swapped for cross-eyed viewing: the container says so, the depth stays.
  auto crossed = run_program("make", make_args(clip, out, work, {"PARALLAX=6", "ORDER=right-first", "-j2"}));
  INFO(crossed.err);
  REQUIRE(crossed.exit_code == 0);
  CHECK(probe(out, "v", "stream_tags=stereo_mode") == "right_left\n");
  CHECK(depth_identity(work) == depth_before);
}

namespace {

// Every kept depth file (field PNG and JSON sidecar of each frame) by file name, whatever
// the chunk folder it is in.
std::map<std::string, std::string> kept_depth(const fs::path& work) {
  std::map<std::string, std::string> out;
  for (const auto& path : s3d::test::files_below(work / "depth")) {
    const std::string ext = path.extension().string();
    if (ext != ".png" && ext != ".json") continue;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    REQUIRE(out.emplace(path.filename().string(), bytes.str()).second);  // each frame kept once
  }
  return out;
}

double json_number(const std::string& text, const std::string& key) {
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex("\"" + key + "\": *(-?[0-9.eE+-]+)")));
  return std::stod(m[1]);
}

}  // namespace

TEST_CASE("pipeline: CHUNK=20 gives the normalized depth of one chunk and no seam at its boundaries", "[pipeline]") {
  TempDir dir("s3d-pipeline-seams");
  const fs::path clip = make_clip(dir.path());
  auto chunked = run_program("make", make_args(clip, dir / "a.mkv", dir / "work-20", {"CHUNK=20", "-j2"}));
  INFO(chunked.err);
  REQUIRE(chunked.exit_code == 0);
  auto whole = run_program("make", make_args(clip, dir / "b.mkv", dir / "work-all", {"CHUNK=1000"}));
  INFO(whole.err);
  REQUIRE(whole.exit_code == 0);
  const auto a = kept_depth(dir / "work-20"), b = kept_depth(dir / "work-all");
  REQUIRE(a.size() == 2 * kFrames);
  REQUIRE(b.size() == a.size());
  for (const auto& [name, bytes] : b) {
    INFO(name);
    CHECK((a.at(name) == bytes));  // identical normalized depth: field and mapping
  }
  // The mapping's change from one frame to the next (fraction of its width): at the chunk
  // boundaries (frames 20, 40, ...) no larger than anywhere within the chunks.
  double at_boundary = 0, within = 0;
  double lo0 = 0, hi0 = 0;
  for (int i = 0; i < kFrames; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "%06d.json", i);
    const std::string& json = a.at(name);
    const double lo = json_number(json, "lo"), hi = json_number(json, "hi");
    if (i > 0) {
      const double change = (std::abs(lo - lo0) + std::abs(hi - hi0)) / (hi0 - lo0);
      (i % 20 == 0 ? at_boundary : within) = std::max(i % 20 == 0 ? at_boundary : within, change);
    }
    lo0 = lo, hi0 = hi;
  }
  INFO("largest change of the mapping: at boundaries " << at_boundary << ", within chunks " << within);
  CHECK(within > 0);  // the clip does move the range
  CHECK(at_boundary <= within);
}

TEST_CASE("pipeline killed at random moments and re-run gives the uninterrupted result", "[pipeline]") {
  TempDir dir("s3d-pipeline-kill");
  const fs::path clip = make_clip(dir.path());

  const fs::path reference = dir / "reference.mkv";
  const auto t0 = std::chrono::steady_clock::now();
  auto ref = run_program("make", make_args(clip, reference, dir / "work-ref", {"-j2"}));
  const double full_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO(ref.err);
  REQUIRE(ref.exit_code == 0);

  const fs::path out = dir / "resumed.mkv", work = dir / "work", log = dir / "killed.log";
  std::mt19937 rng(20261123);
  // Each attempt dies within the first 30% of a full run's time, so at least the first
  // three are killed mid-run whatever the machine's speed; where they die varies.
  std::uniform_real_distribution<double> moment(0.05, 0.3);
  int kills = 0;
  for (int attempt = 0; attempt < 4; ++attempt) {
    pid_t pid = start_make(make_args(clip, out, work, {"-j2"}), log);
    std::this_thread::sleep_for(std::chrono::duration<double>(moment(rng) * full_seconds));
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == 0) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      ++kills;
    }
  }
  CHECK(kills >= 2);
  auto finish = run_program("make", make_args(clip, out, work, {"-j2"}));
  INFO(finish.err);
  REQUIRE(finish.exit_code == 0);
  CHECK(stream_md5(out, "0:v") == stream_md5(reference, "0:v"));
  CHECK(stream_md5(out, "0:a") == stream_md5(reference, "0:a"));
  CHECK(probe(out, "v", "stream=nb_read_frames") == std::to_string(kFrames) + "\n");
}

TEST_CASE("pipeline killed in the middle of its streamed chains resumes to the uninterrupted result", "[pipeline]") {
  TempDir dir("s3d-pipeline-kill-chain");
  const fs::path clip = make_clip(dir.path());
  const fs::path reference = dir / "reference.mkv";
  auto ref = run_program("make", make_args(clip, reference, dir / "work-ref", {"-j2"}));
  INFO(ref.err);
  REQUIRE(ref.exit_code == 0);

  // Killed twice while a chunk's chain runs: first the depth-making
  // chain (s3d-depth | s3d-parallax | s3d-encode), then, the depth complete and PARALLAX
  // changed, the parallax-only chain (s3d-parallax | s3d-encode).
  const fs::path out = dir / "resumed.mkv", work = dir / "work", log = dir / "killed.log";
  const auto kill_mid_chain = [&](std::vector<std::string> extra) {
    extra.push_back("-j2");
    const pid_t pid = start_make(make_args(clip, out, work, extra), log);
    bool killed = false;
    for (int i = 0; i < 3000 && !killed; ++i) {
      for (int c = 0; c < kFrames / kChunk + 1 && !killed; ++c) {
        char name[16];
        std::snprintf(name, sizeof name, "%04d.now", c);
        std::ifstream now(work / "progress" / name);
        long long done = 0, total = 0;
        if (now >> done >> total && done < total) {  // its s3d-encode has started, and not finished
          kill(-pid, SIGKILL);
          killed = true;
        }
      }
      if (!killed) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return killed;
  };
  CHECK(kill_mid_chain({}));
  auto first = run_program("make", make_args(clip, out, work, {"-j2"}));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(stream_md5(out, "0:v") == stream_md5(reference, "0:v"));
  const auto depth = depth_identity(work);

  auto ref6 = run_program("make", make_args(clip, reference, dir / "work-ref", {"PARALLAX=6", "-j2"}));
  REQUIRE(ref6.exit_code == 0);
  CHECK(kill_mid_chain({"PARALLAX=6"}));
  auto second = run_program("make", make_args(clip, out, work, {"PARALLAX=6", "-j2"}));
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(stream_md5(out, "0:v") == stream_md5(reference, "0:v"));
  CHECK(stream_md5(out, "0:a") == stream_md5(reference, "0:a"));
  CHECK(depth_identity(work) == depth);  // the parallax-only chain never touches the depth
}

TEST_CASE("pipeline peak disk use is bounded by the chunk size, not the clip length", "[pipeline]") {
  TempDir dir("s3d-pipeline-disk");
  const fs::path clip = make_clip(dir.path());
  const fs::path work = dir / "work";

  // The size of one frame as a PNG, measured on a full extraction of the clip: the chains
  // store no frame at all, so a running chunk's scratch (its segment being written, far
  // smaller) stays below one PNG per frame of the chunk.
  auto ex = s3d::test::run_tool("s3d-extract", {clip.string(), "--out", (dir / "all").string(), "--quiet"});
  REQUIRE(ex.exit_code == 0);
  const auto all_frames = s3d::test::files_below(dir / "all");
  REQUIRE(all_frames.size() == kFrames);
  int64_t largest_frame = 0;
  for (const auto& f : all_frames) largest_frame = std::max<int64_t>(largest_frame, fs::file_size(f));
  fs::remove_all(dir / "all");
  const int64_t per_frame = largest_frame;

  std::atomic<bool> done{false};
  std::atomic<int64_t> peak{0};
  std::thread watcher([&] {
    while (!done) {
      peak = std::max(peak.load(), disk_usage(work));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  constexpr int kSmallChunk = 10;  // 2 jobs x 10 frames in flight out of 120
  auto run = run_program("make", make_args(clip, dir / "out.mkv", work, {"-j2", "CHUNK=" + std::to_string(kSmallChunk)}));
  done = true;
  watcher.join();
  INFO(run.err);
  REQUIRE(run.exit_code == 0);

  // Bound: per running chunk (2 jobs) one PNG frame per frame of the chunk, plus what is
  // kept: the depth fields and the segments.
  const int64_t kept = disk_usage(work);
  const int64_t bound = kept + 2 * kSmallChunk * per_frame;
  const int64_t unchunked = int64_t(kFrames) * per_frame;  // the article's way: everything at once
  INFO("peak " << peak << " bytes, bound " << bound << ", kept " << kept << ", unchunked ~" << unchunked);
  CHECK(peak <= bound);
  CHECK(peak < kept + unchunked / 2);
}

TEST_CASE("pipeline GPUS=0,1 with -j2: each depth chain holds one GPU, never one another chain holds", "[pipeline]") {
  TempDir dir("s3d-pipeline");
  const fs::path clip = make_clip(dir.path());
  const fs::path out = dir / "out.mkv", work = dir / "work";
  const auto run = run_program("make", make_args(clip, out, work, {"GPUS=0,1", "-j2"}));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);

  // WORK/logs/gpus.tsv: chunk, GPU, from, to — one line per chunk's depth chain.
  struct Use {
    std::string chunk, gpu;
    double from, to;
  };
  std::vector<Use> uses;
  std::ifstream tsv(work / "logs/gpus.tsv");
  for (Use u; tsv >> u.chunk >> u.gpu >> u.from >> u.to;) uses.push_back(u);
  const int chunks = (kFrames + kChunk - 1) / kChunk;
  REQUIRE(static_cast<int>(uses.size()) == chunks);
  std::set<std::string> seen_chunks;
  for (const auto& u : uses) {
    INFO("chunk " << u.chunk << " on GPU " << u.gpu);
    CHECK((u.gpu == "0" || u.gpu == "1"));
    CHECK(u.from <= u.to);
    seen_chunks.insert(u.chunk);
    // The chain's s3d-depth saw exactly that GPU (the chunk's log says what it was given).
    std::ifstream log(work / "logs" / (u.chunk + ".log"));
    const std::string text((std::istreambuf_iterator<char>(log)), {});
    CHECK_THAT(text, Catch::Contains("CUDA_VISIBLE_DEVICES=" + u.gpu));
  }
  CHECK(static_cast<int>(seen_chunks.size()) == chunks);
  // Chains that ran at the same time held different GPUs.
  for (size_t i = 0; i < uses.size(); ++i)
    for (size_t j = i + 1; j < uses.size(); ++j)
      if (uses[i].from < uses[j].to && uses[j].from < uses[i].to) {
        INFO("chunks " << uses[i].chunk << " and " << uses[j].chunk << " overlapped");
        CHECK(uses[i].gpu != uses[j].gpu);
      }
}
