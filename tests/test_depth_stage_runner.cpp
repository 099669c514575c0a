// The depth stage runner: normalization over time against hand-computed values (with a fake
// estimator whose raw depth is the frame's blue channel), the temporal flicker figure, scene
// cuts, resume equality, batching, and validation before any work.
#include <catch2/catch.hpp>
#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "depth_stage/depth_sidecar.hpp"
#include "depth_stage/depth_stage.hpp"
#include "depth_stage/heuristic_depth.hpp"
#include "support/test_support.hpp"

using namespace s3d;
using namespace s3d::depth_stage;
using s3d::test::TempDir;

namespace {

// Raw depth = the blue channel, so a test picks each frame's raw values exactly.
class BlueChannelDepth : public DepthEstimator {
 public:
  std::vector<cv::Mat> estimate(const std::vector<cv::Mat>& frames) override {
    batch_sizes.push_back(static_cast<int>(frames.size()));
    std::vector<cv::Mat> out;
    for (const auto& f : frames) {
      cv::Mat blue, raw;
      cv::extractChannel(f, blue, 0);
      blue.convertTo(raw, CV_32F);
      out.push_back(raw);
    }
    return out;
  }
  std::string name() const override { return "blue"; }
  std::vector<int> batch_sizes;
};

// Passes through `inner` for `frames_before_failure` frames, then throws: a run killed midway.
class FailingAfter : public DepthEstimator {
 public:
  FailingAfter(DepthEstimator& inner, int frames_before_failure) : inner_(inner), left_(frames_before_failure) {}
  std::vector<cv::Mat> estimate(const std::vector<cv::Mat>& frames) override {
    left_ -= static_cast<int>(frames.size());
    if (left_ < 0) throw Error("simulated crash");
    return inner_.estimate(frames);
  }
  std::string name() const override { return inner_.name(); }

 private:
  DepthEstimator& inner_;
  int left_;
};

// A frame whose blue channel holds `values` (one pixel each), green/red fixed.
cv::Mat blue_frame(const std::vector<int>& values, cv::Scalar green_red = {0, 0, 0}) {
  cv::Mat f(1, static_cast<int>(values.size()), CV_8UC3);
  for (int i = 0; i < f.cols; ++i)
    f.at<cv::Vec3b>(0, i) = cv::Vec3b(values[i], green_red[0] ? green_red[0] : values[i], green_red[1] ? green_red[1] : values[i]);
  return f;
}

void write_frames(const fs::path& dir, const std::vector<cv::Mat>& frames, int64_t first = 0) {
  fs::create_directories(dir);
  for (size_t i = 0; i < frames.size(); ++i)
    REQUIRE(cv::imwrite(frame_path(dir, first + static_cast<int64_t>(i), ".png").string(), frames[i]));
}

cv::Mat read_depth(const fs::path& out, int64_t index) {
  cv::Mat d = cv::imread(depth_png_path(out, index).string(), cv::IMREAD_UNCHANGED);
  REQUIRE(d.type() == CV_16UC1);
  return d;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

DepthStageOptions options_for(const TempDir& dir, Normalize normalize) {
  DepthStageOptions o;
  o.frames_dir = dir / "frames";
  o.out_dir = dir / "depth";
  o.normalize = normalize;
  o.threads = 2;
  return o;
}

// Textured scene: a hazy, defocused backdrop above a ground texture, with sensor noise
// (sigma 2 levels) that differs per frame. A sharp orange box, the nearest thing, slides in
// from the left edge at the bottom over the first `entering` frames, then stays while its
// lighting flickers by up to +-15% per frame, so the nearest raw depth jumps and then jitters
// as a network's output does.
std::vector<cv::Mat> object_entering_sequence(int count, int entering, cv::Size size) {
  cv::RNG rng(42);
  cv::Mat coarse(size.height / 4, size.width / 4, CV_32F);
  rng.fill(coarse, cv::RNG::UNIFORM, -1, 1);
  cv::Mat fine, gray, backdrop;
  cv::resize(coarse, fine, size, 0, 0, cv::INTER_CUBIC);
  fine.convertTo(gray, CV_8U, 50, 128);
  cv::cvtColor(gray, backdrop, cv::COLOR_GRAY2BGR);
  cv::Mat top = backdrop.rowRange(0, size.height / 2);
  cv::GaussianBlur(top, top, cv::Size(0, 0), 3);
  cv::addWeighted(top, 0.5, cv::Mat(top.size(), CV_8UC3, cv::Scalar(210, 205, 200)), 0.5, 0, top);

  const cv::Size box(size.width / 3, size.height / 3);
  cv::Mat object(box, CV_8UC3);
  rng.fill(object, cv::RNG::UNIFORM, cv::Scalar(20, 60, 150), cv::Scalar(90, 140, 250));
  std::vector<cv::Mat> frames;
  for (int i = 0; i < count; ++i) {
    cv::Mat f = backdrop.clone();
    cv::RNG frame_rng(1000 + i);
    const int right = std::min(i + 1, entering) * box.width / entering;  // right edge enters from x = 0
    const cv::Mat lit = object(cv::Rect(box.width - right, 0, right, box.height)) * frame_rng.uniform(0.85, 1.15);
    lit.copyTo(f(cv::Rect(0, size.height - box.height, right, box.height)));
    cv::Mat noise(size, CV_16SC3), noisy;
    frame_rng.fill(noise, cv::RNG::NORMAL, 0, 2);
    cv::add(f, noise, noisy, cv::noArray(), CV_8UC3);
    frames.push_back(noisy);
  }
  return frames;
}

}  // namespace

TEST_CASE("depth stage: frame and window normalization match hand-computed levels", "[unit]") {
  // Raw values per frame (1x3 frames, all grey: no scene cut).
  const std::vector<std::vector<int>> raw = {{10, 20, 30}, {10, 20, 40}, {10, 20, 30}, {12, 20, 30}};
  std::vector<cv::Mat> frames;
  for (const auto& r : raw) frames.push_back(blue_frame(r));

  SECTION("frame: each frame's own min..max") {
    TempDir dir;
    write_frames(dir / "frames", frames);
    BlueChannelDepth est;
    const auto result = run_depth_stage(options_for(dir, Normalize::kFrame), est);
    CHECK(result.written == 4);
    // (20-10)/20 -> 32767.5 -> 32768; (20-10)/30 -> 21845; (20-12)/18 -> 29126.67 -> 29127.
    CHECK(read_depth(dir / "depth", 0).at<uint16_t>(0, 1) == 32768);
    CHECK(read_depth(dir / "depth", 1).at<uint16_t>(0, 1) == 21845);
    CHECK(read_depth(dir / "depth", 2).at<uint16_t>(0, 1) == 32768);
    CHECK(read_depth(dir / "depth", 3).at<uint16_t>(0, 1) == 29127);
    CHECK(read_depth(dir / "depth", 3).at<uint16_t>(0, 0) == 0);
    CHECK(read_depth(dir / "depth", 3).at<uint16_t>(0, 2) == 65535);
    const DepthSidecar s = read_sidecar(sidecar_path(dir / "depth", 1));
    CHECK(s.frame == 1);
    CHECK(s.model == "blue");
    CHECK(s.normalize == Normalize::kFrame);
    CHECK(s.raw == DepthRange{10, 40});
    CHECK(s.mapped == DepthRange{10, 40});
    CHECK(s.width == 3);
    CHECK(s.height == 1);
    CHECK_FALSE(s.scene_cut);
  }
  SECTION("window of 3 frames: a peak hold, released by (d/3)^2 of a frame's width") {
    TempDir dir;
    write_frames(dir / "frames", frames);
    BlueChannelDepth est;
    auto o = options_for(dir, Normalize::kWindow);
    o.window = 3;
    run_depth_stage(o, est);
    // Raw ranges (10,30) (10,40) (10,30) (12,30), held for 1 frame, then released by
    // ((d - 1) / 2)^2 of a frame's width: frame 2 keeps frame 1's 40; frame 3 gets it
    // released by 1/4 * 30 -> 32.5, and frame 1's lo 10 (held) — not its own 12.
    CHECK(read_sidecar(sidecar_path(dir / "depth", 2)).mapped == DepthRange{10, 40});
    CHECK(read_sidecar(sidecar_path(dir / "depth", 3)).mapped == DepthRange{10, 32.5});
    CHECK(read_sidecar(sidecar_path(dir / "depth", 3)).raw == DepthRange{12, 30});
    CHECK(read_sidecar(sidecar_path(dir / "depth", 3)).normalize == Normalize::kWindow);
    CHECK(read_depth(dir / "depth", 0).at<uint16_t>(0, 1) == 32768);
    CHECK(read_depth(dir / "depth", 1).at<uint16_t>(0, 1) == 21845);
    CHECK(read_depth(dir / "depth", 2).at<uint16_t>(0, 1) == 21845);  // 10/30 * 65535
    const cv::Mat d3 = read_depth(dir / "depth", 3);
    CHECK(d3.at<uint16_t>(0, 0) == 5825);   // 2/22.5 * 65535 = 5825.3
    CHECK(d3.at<uint16_t>(0, 1) == 29127);  // 10/22.5 * 65535 = 29126.7
    CHECK(d3.at<uint16_t>(0, 2) == 58253);  // 20/22.5 * 65535 = 58253.3
  }
  SECTION("global: the range's min..max, second pass; a re-run writes nothing") {
    TempDir dir;
    write_frames(dir / "frames", frames);
    BlueChannelDepth est;
    const auto result = run_depth_stage(options_for(dir, Normalize::kGlobal), est);
    CHECK(result.written == 4);
    CHECK(result.renormalized == 4);
    for (int i = 0; i < 4; ++i) {
      INFO("frame " << i);
      const DepthSidecar s = read_sidecar(sidecar_path(dir / "depth", i));
      CHECK(s.normalize == Normalize::kGlobal);
      CHECK(s.mapped == DepthRange{10, 40});
      // Exact: 20 -> 21845, 30 -> 43690, 10 -> 0. Tolerance 1 level: the second pass remaps
      // the frame-normalized PNG (documented bound).
      const cv::Mat d = read_depth(dir / "depth", i);
      CHECK(std::abs(d.at<uint16_t>(0, 1) - 21845) <= 1);
      CHECK(std::abs(d.at<uint16_t>(0, 2) - (i == 1 ? 65535 : 43690)) <= 1);
    }
    CHECK(read_depth(dir / "depth", 3).at<uint16_t>(0, 0) == 4369);  // 2/30 * 65535, exact from a frame's lo
    const std::string before = read_bytes(depth_png_path(dir / "depth", 2));
    BlueChannelDepth again;
    const auto rerun = run_depth_stage(options_for(dir, Normalize::kGlobal), again);
    CHECK(rerun.written == 0);
    CHECK(rerun.skipped == 4);
    CHECK(rerun.renormalized == 0);
    CHECK(again.batch_sizes.empty());
    CHECK(read_bytes(depth_png_path(dir / "depth", 2)) == before);
  }
}

TEST_CASE("depth stage: a scene cut detected from the frames restarts the window", "[unit]") {
  // Three grey frames, then three saturated green ones (another shot).
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 3; ++i) frames.push_back(blue_frame({10, 20, 100}));
  for (int i = 0; i < 3; ++i) frames.push_back(blue_frame({50, 55, 60}, {200, 10}));
  TempDir dir;
  write_frames(dir / "frames", frames);
  BlueChannelDepth est;
  auto result = run_depth_stage(options_for(dir, Normalize::kWindow), est);
  CHECK(result.scene_cuts == 1);
  for (int i = 0; i < 6; ++i) CHECK(read_sidecar(sidecar_path(dir / "depth", i)).scene_cut == (i == 3));
  CHECK(read_sidecar(sidecar_path(dir / "depth", 3)).mapped == DepthRange{50, 60});  // restarted
  CHECK(read_depth(dir / "depth", 3).at<uint16_t>(0, 1) == 32768);                     // 5/10 -> 32767.5

  // Without cut detection (threshold 1) the window carries the first shot's range over.
  TempDir dir2;
  write_frames(dir2 / "frames", frames);
  auto o = options_for(dir2, Normalize::kWindow);
  o.scene_cut_threshold = 1.0;
  BlueChannelDepth est2;
  CHECK(run_depth_stage(o, est2).scene_cuts == 0);
  // Frame 2's range (10, 100), one frame back in a window of 48: held.
  CHECK(read_sidecar(sidecar_path(dir2 / "depth", 3)).mapped == DepthRange{10, 100});
}

TEST_CASE("depth stage: window flickers far less than frame on the static background when an object enters", "[unit]") {
  const cv::Size size(320, 180);
  const int count = 48, entering = 8;  // 2 s at 24 fps; the object is fully in from frame 8
  const auto frames = object_entering_sequence(count, entering, size);
  // Background: the right half, which the object (107 px wide, from x = 0) never reaches,
  // kept clear of the smoothing radius.
  const cv::Rect background(size.width / 2, 0, size.width / 2, size.height);
  // Flicker = mean |change| between consecutive frames of the background's mean normalized
  // depth (fraction of full scale): over the whole sequence, and once the object is in.
  double flicker[2] = {0, 0}, settled[2] = {0, 0};
  int k = 0;
  for (Normalize mode : {Normalize::kFrame, Normalize::kWindow}) {
    TempDir dir;
    write_frames(dir / "frames", frames);
    HeuristicDepth heuristic;
    run_depth_stage(options_for(dir, mode), heuristic);
    double previous = 0;
    for (int i = 0; i < count; ++i) {
      const double level = cv::mean(read_depth(dir / "depth", i)(background))[0] / 65535;
      if (i > 0) flicker[k] += std::abs(level - previous) / (count - 1);
      if (i > entering) settled[k] += std::abs(level - previous) / (count - 1 - entering);
      previous = level;
    }
    ++k;
  }
  // The figures reported in docs/depth-maps.md.
  WARN("background flicker per frame, whole sequence: frame " << flicker[0] << ", window " << flicker[1]
                                                               << "; object in: frame " << settled[0] << ", window "
                                                               << settled[1]);
  CHECK(flicker[0] > 0.001);  // the sequence does provoke flicker in the article's mode
  // window cannot avoid the entry itself (it never clips), so the whole-sequence gain is
  // bounded by the entry's jump; once the object is in, the jitter is absorbed.
  CHECK(flicker[1] < flicker[0] / 3);
  CHECK(settled[1] < settled[0] / 5);
}

namespace {

// Every PNG and sidecar of a depth store, by file name.
std::map<std::string, std::string> store_bytes(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& path : test::files_below(dir)) out[path.filename().string()] = read_bytes(path);
  return out;
}

// A heuristic sequence with a cut in the middle, so window state and scene cuts both matter.
std::vector<cv::Mat> sequence_with_cut() {
  auto frames = object_entering_sequence(10, 4, cv::Size(160, 90));
  cv::Mat other(90, 160, CV_8UC3);
  for (int i = 0; i < 6; ++i) {
    cv::RNG rng(77 + i);
    rng.fill(other, cv::RNG::UNIFORM, cv::Scalar(0, 80, 0), cv::Scalar(60, 200, 40));
    frames.push_back(other.clone());
  }
  return frames;
}

}  // namespace

TEST_CASE("depth stage: an interrupted and resumed run equals an uninterrupted one, byte for byte", "[unit]") {
  const auto frames = sequence_with_cut();
  for (Normalize mode : {Normalize::kWindow, Normalize::kGlobal, Normalize::kFrame}) {
    DYNAMIC_SECTION(normalize_names().name(mode)) {
      TempDir whole, pieces;
      write_frames(whole / "frames", frames);
      write_frames(pieces / "frames", frames);
      HeuristicDepth heuristic;
      auto o = options_for(whole, mode);
      o.batch = 3;
      const auto reference = run_depth_stage(o, heuristic);
      CHECK(reference.written == 16);
      CHECK(reference.scene_cuts == 1);
      const auto expected = store_bytes(whole / "depth");
      REQUIRE(expected.size() == 32);

      // Killed after 7 frames (in the third batch): frames 0..5 are done.
      auto p = options_for(pieces, mode);
      p.batch = 3;
      FailingAfter crashing(heuristic, 7);
      CHECK_THROWS_WITH(run_depth_stage(p, crashing), Catch::Contains("simulated crash"));
      CHECK(depth_frame_done(pieces / "depth", 5));
      CHECK_FALSE(depth_frame_done(pieces / "depth", 6));
      // A crash between a PNG and its sidecar: frame 3 is not done.
      fs::remove(sidecar_path(pieces / "depth", 3));
      p.batch = 2;
      if (mode == Normalize::kGlobal) {
        // `global` spans the processed range, so it resumes with the same range.
        const auto resumed = run_depth_stage(p, heuristic);
        CHECK(resumed.written == 11);  // 3 and 6..15
        CHECK(resumed.skipped == 5);
      } else {
        // Resumed in two goes: the frames up to 12, then the rest.
        p.range = FrameRange::parse(":12");
        const auto first = run_depth_stage(p, heuristic);
        CHECK(first.written == 7);  // 3 and 6..11
        CHECK(first.skipped == 5);
        p.range = FrameRange::parse("12:");
        CHECK(run_depth_stage(p, heuristic).written == 4);
      }
      const auto got = store_bytes(pieces / "depth");
      REQUIRE(got.size() == expected.size());
      for (const auto& [name, bytes] : expected) {
        INFO(name);
        CHECK((got.at(name) == bytes));  // compared whole, not printed
      }
    }
  }
}

TEST_CASE("depth stage: window chunks, each in its own folder, equal one pass byte for byte", "[unit]") {
  // As the pipeline runs them: every chunk a separate run into a folder of its own, knowing
  // nothing of the others; each first estimates the window - 1 frames before its start.
  const auto frames = sequence_with_cut();  // 16 frames, a cut at frame 10
  TempDir whole, chunked;
  write_frames(whole / "frames", frames);
  write_frames(chunked / "frames", frames);
  HeuristicDepth heuristic;
  auto o = options_for(whole, Normalize::kWindow);
  o.window = 6;
  run_depth_stage(o, heuristic);
  const auto expected = store_bytes(whole / "depth");
  REQUIRE(expected.size() == 32);
  std::map<std::string, std::string> got;
  const std::vector<std::pair<int, int>> chunks = {{0, 4}, {4, 9}, {9, 13}, {13, 16}};
  for (const auto& [first, end] : chunks) {
    auto c = options_for(chunked, Normalize::kWindow);
    c.window = 6;
    c.batch = 2;
    c.out_dir = chunked / ("depth-" + std::to_string(first));
    c.range = FrameRange{first, end};
    const auto result = run_depth_stage(c, heuristic);
    CHECK(result.written == end - first);
    CHECK(result.warmed == std::min(first, 5));  // the window's 5 frames before (fewer at the start)
    const auto part = store_bytes(c.out_dir);
    CHECK(part.size() == size_t(2 * (end - first)));  // the warm frames are not written
    got.insert(part.begin(), part.end());
  }
  REQUIRE(got.size() == expected.size());
  for (const auto& [name, bytes] : expected) {
    INFO(name);
    CHECK((got.at(name) == bytes));
  }
  // The same chunks under `frame` need no frame before theirs.
  TempDir framed;
  write_frames(framed / "frames", frames);
  auto f = options_for(framed, Normalize::kFrame);
  f.range = FrameRange{9, 13};
  CHECK(run_depth_stage(f, heuristic).warmed == 0);
}

TEST_CASE("depth stage: batching, skipping, --force and progress", "[unit]") {
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 7; ++i) frames.push_back(blue_frame({10, 20 + i, 30 + 3 * i}));
  TempDir one, three;
  write_frames(one / "frames", frames, 100);
  write_frames(three / "frames", frames, 100);
  BlueChannelDepth single, batched;
  run_depth_stage(options_for(one, Normalize::kWindow), single);
  auto o = options_for(three, Normalize::kWindow);
  o.batch = 3;
  std::vector<std::pair<int64_t, int64_t>> calls;
  std::mutex mutex;
  o.progress = [&](int64_t done, int64_t total) {
    std::lock_guard<std::mutex> lock(mutex);
    calls.emplace_back(done, total);
  };
  const auto result = run_depth_stage(o, batched);
  CHECK(result.written == 7);
  CHECK(batched.batch_sizes == std::vector<int>{3, 3, 1});
  CHECK(single.batch_sizes == std::vector<int>(7, 1));
  CHECK(store_bytes(one / "depth") == store_bytes(three / "depth"));
  REQUIRE(calls.size() == 7);
  std::sort(calls.begin(), calls.end());
  for (int i = 0; i < 7; ++i) CHECK(calls[i] == std::make_pair<int64_t, int64_t>(i + 1, 7));
  CHECK(fs::exists(three / "depth" / "000106.png"));
  CHECK(fs::exists(three / "depth" / "000106.json"));

  // A re-run writes nothing and never calls the estimator; --force redoes; --range limits.
  BlueChannelDepth again;
  const auto rerun = run_depth_stage(o, again);
  CHECK(rerun.written == 0);
  CHECK(rerun.skipped == 7);
  CHECK(again.batch_sizes.empty());
  o.force = true;
  o.range = FrameRange::parse("102:104");
  const auto forced = run_depth_stage(o, again);
  CHECK(forced.written == 2);
  CHECK(forced.skipped == 0);
  CHECK(store_bytes(one / "depth") == store_bytes(three / "depth"));  // same values redone
}

TEST_CASE("depth stage: bad options, inputs and estimator output fail before anything is written", "[unit]") {
  TempDir dir;
  BlueChannelDepth est;
  SECTION("options") {
    write_frames(dir / "frames", {blue_frame({1, 2})});
    auto expect_usage = [&](DepthStageOptions o, const std::string& text) {
      INFO(text);
      CHECK_THROWS_WITH(run_depth_stage(o, est), Catch::Contains(text));
      CHECK_THROWS_AS(o.check(), UsageError);
    };
    auto o = options_for(dir, Normalize::kWindow);
    auto bad = o;
    bad.batch = 0;
    expect_usage(bad, "--batch");
    bad = o;
    bad.batch = 257;
    expect_usage(bad, "--batch");
    bad = o;
    bad.window = 0;
    expect_usage(bad, "--window");
    bad = o;
    bad.window = 1001;
    expect_usage(bad, "--window");
    bad = o;
    bad.scene_cut_threshold = 0;
    expect_usage(bad, "--scene-cut");
    bad = o;
    bad.threads = -1;
    expect_usage(bad, "--threads");
    bad = o;
    bad.out_dir = dir / "frames" / ".";
    expect_usage(bad, "--out");
    bad = o;
    bad.frames_dir.clear();  // optional for check(): a tool may give a video instead
    CHECK_THROWS_WITH(run_depth_stage(bad, est), Catch::Contains("--frames"));
  }
  SECTION("a missing frames directory is named") {
    CHECK_THROWS_WITH(run_depth_stage(options_for(dir, Normalize::kWindow), est),
                      Catch::Contains((dir / "frames").string()));
  }
  SECTION("an unreadable frame is named, and the estimator never runs") {
    write_frames(dir / "frames", {blue_frame({1, 2}), blue_frame({3, 4})});
    std::ofstream(dir / "frames" / "000002.png") << "not a png at all";
    CHECK_THROWS_WITH(run_depth_stage(options_for(dir, Normalize::kWindow), est), Catch::Contains("000002.png"));
  }
  SECTION("a corrupt sidecar the window of a resumed run reaches is named") {
    write_frames(dir / "frames", {blue_frame({1, 2}), blue_frame({3, 4})});
    auto o = options_for(dir, Normalize::kWindow);
    o.range = FrameRange::parse("0:1");
    REQUIRE(run_depth_stage(o, est).written == 1);
    est.batch_sizes.clear();
    std::ofstream(sidecar_path(dir / "depth", 0)) << "{\"format\": \"s3d-depth/1\"}";
    o.range = FrameRange::parse("1:2");
    CHECK_THROWS_WITH(run_depth_stage(o, est), Catch::Contains("000000.json") && Catch::Contains("frame 1"));
    CHECK(est.batch_sizes.empty());
    CHECK_FALSE(fs::exists(depth_png_path(dir / "depth", 1)));
    return;
  }
  SECTION("an estimator's wrong-size or non-finite output is named") {
    write_frames(dir / "frames", {blue_frame({1, 2})});
    struct Wrong : DepthEstimator {
      bool nan = false;
      std::vector<cv::Mat> estimate(const std::vector<cv::Mat>& f) override {
        if (nan) return {cv::Mat(f[0].size(), CV_32F, cv::Scalar(NAN))};
        return {cv::Mat(5, 5, CV_32F, cv::Scalar(0))};
      }
      std::string name() const override { return "wrong"; }
    } wrong;
    CHECK_THROWS_WITH(run_depth_stage(options_for(dir, Normalize::kWindow), wrong),
                      Catch::Contains("000000.png") && Catch::Contains("5x5") && Catch::Contains("2x1"));
    wrong.nan = true;
    CHECK_THROWS_WITH(run_depth_stage(options_for(dir, Normalize::kWindow), wrong),
                      Catch::Contains("000000.png") && Catch::Contains("NaN"));
    CHECK_FALSE(fs::exists(depth_png_path(dir / "depth", 0)));
    return;
  }
  CHECK(est.batch_sizes.empty());
  CHECK_FALSE(fs::exists(dir / "depth"));
}

TEST_CASE("depth stage: frames another model made are never mixed with this model's", "[unit]") {
  TempDir dir("s3d-depth-stage");
  write_frames(dir / "frames", {blue_frame({1, 2}), blue_frame({3, 4}), blue_frame({5, 6})});
  BlueChannelDepth blue;
  auto o = options_for(dir, Normalize::kFrame);
  o.range = FrameRange::parse("0:2");
  REQUIRE(run_depth_stage(o, blue).written == 2);
  // Another model (same network family unknown yet: a full name that differs) resuming the folder.
  class Other : public BlueChannelDepth {
    std::string name() const override { return "other-model"; }
  } other;
  o.range = FrameRange();
  const auto before = fs::last_write_time(depth_png_path(dir / "depth", 0));
  CHECK_THROWS_WITH(run_depth_stage(o, other), Catch::Contains("made by model 'blue'") &&
                                                    Catch::Contains("this run uses 'other-model'") &&
                                                    Catch::Contains("--force"));
  CHECK_FALSE(fs::exists(depth_png_path(dir / "depth", 2)));  // nothing written
  CHECK(fs::last_write_time(depth_png_path(dir / "depth", 0)) == before);
  o.force = true;  // redoing them all is fine
  CHECK(run_depth_stage(o, other).written == 3);
  CHECK(read_sidecar(sidecar_path(dir / "depth", 0)).model == "other-model");
}
