// Helpers shared by the media tests: generated clips, ffprobe queries, frame comparison.
#pragma once
#include <cstdlib>
#include <catch2/catch.hpp>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/frame_store.hpp"
#include "imageio/image_file.hpp"
#include "support/image_compare.hpp"
#include "support/test_support.hpp"

namespace s3d::media_test {

namespace fs = std::filesystem;

inline fs::path shared_video(const std::string& name) {
  const auto shared = test::shared_dir();
  return shared.empty() ? fs::path() : shared / "data" / "video" / name;
}

// Runs ffmpeg quietly; REQUIREs success.
inline void ffmpeg(std::vector<std::string> args) {
  args.insert(args.begin(), {"-hide_banner", "-nostdin", "-v", "error", "-y"});
  const auto r = test::run_program("ffmpeg", args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// One ffprobe value, e.g. probe_value(f, "v:0", "stream=nb_read_frames", {"-count_frames"}).
inline std::string probe_value(const fs::path& file, const std::string& streams, const std::string& entries,
                               std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"-v", "error"};
  if (!streams.empty()) args.insert(args.end(), {"-select_streams", streams});
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {"-show_entries", entries, "-of", "default=noprint_wrappers=1:nokey=1", file.string()});
  const auto r = test::run_program("ffprobe", args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// MD5 of the stream-copied packets of `map` (e.g. "0:a"): equal only for identical packets.
inline std::string packets_md5(const fs::path& file, const std::string& map) {
  const auto r = test::run_program("ffmpeg", {"-v", "error", "-i", file.string(), "-map", map, "-c", "copy", "-f", "md5", "-"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// A synthetic H.264 clip: moving test pattern, B-frames (3), open GOPs of 24 frames, and
// a first timestamp of 1.234 s instead of 0; `seconds` long at 24000/1001 fps.
inline void make_bframe_clip(const fs::path& out, double seconds, const std::string& size = "192x108") {
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=" + size + ":r=24000/1001:d=" + std::to_string(seconds), "-c:v", "libx264",
          "-preset", "veryfast", "-bf", "3", "-g", "24", "-x264-params", "open-gop=1", "-pix_fmt", "yuv420p",
          "-output_ts_offset", "1.234", out.string()});
}

// Every frame of `expected` inside `range` must be pixel-identical in `actual`.
inline void require_identical_frames(const fs::path& expected_dir, const fs::path& actual_dir, int64_t start,
                                     int64_t end) {
  const auto actual = list_frames(actual_dir);
  REQUIRE(static_cast<int64_t>(actual.size()) == end - start);
  for (const auto& f : actual) {
    INFO("frame " << f.index);
    REQUIRE(f.index >= start);
    REQUIRE(f.index < end);
    const auto reference = find_frame(expected_dir, f.index);
    REQUIRE(reference);
    // Lossless PNG of the same decoded picture: tolerance 0.
    REQUIRE(test::max_abs_diff(read_image(*reference), read_image(f.path)) == 0);
  }
}

// Sets an environment variable for the scope (e.g. S3D_FFMPEG for the "missing ffmpeg" case).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (had_)
      ::setenv(name_.c_str(), old_.c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }

 private:
  std::string name_, old_;
  bool had_ = false;
};

}  // namespace s3d::media_test
