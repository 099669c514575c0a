// Progress reporting. Library functions take a ProgressFn (an injected callback, as in
// GDAL) and call it after each unit of work; tools pass a StderrProgress, which throttles
// and formats it. stdout stays free for data.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace s3d {

// Called with (units done, units total). May be called from several threads at once
// by parallel stages; implementations must be thread-safe. An empty function is fine.
using ProgressFn = std::function<void(int64_t done, int64_t total)>;

// Prints "s3d-pack: 120/1000 frames  34.5 fps  ETA 0:00:25" to stderr, at most
// `max_per_second` times a second and only when stderr is a terminal; the final summary
// line (finish()) is printed whenever not quiet, terminal or not.
class StderrProgress {
 public:
  // Where every StderrProgress of this process also records its count, "done total\n",
  // replaced atomically at the same rate, tty or not, quiet or not (--progress-file: the
  // pipeline's whole-run progress reads it). Empty = nowhere (the default).
  static void set_record_file(std::string path);

  StderrProgress(std::string tool, bool quiet, std::string unit = "frames", double max_per_second = 4);

  void update(int64_t done, int64_t total);
  // Prints the summary line, e.g. "s3d-pack: 100 frames packed (hsbs, left-first), 20 already
  // present, 3.10 s (32.3 fps, 0.0310 s/frame)".
  void finish(const std::string& summary);
  // A callback bound to this object (keep the object alive while it is used).
  ProgressFn callback();

  // Formats seconds as H:MM:SS.
  static std::string format_duration(double seconds);

 private:
  std::string tool_, unit_;
  bool quiet_, tty_;
  std::chrono::steady_clock::duration min_interval_;
  std::chrono::steady_clock::time_point start_, last_;
  void record(int64_t done, int64_t total);
  bool printed_ = false;
  std::chrono::steady_clock::time_point last_record_;
  std::mutex mutex_;
};

// The units every tool's summary line uses: throughput in fps and time per frame in s/frame,
// each to 3 significant digits: "32.3 fps, 0.0310 s/frame"; "" for no frames.
std::string frame_rate_text(int64_t frames, double seconds);
// "3.10 s (32.3 fps, 0.0310 s/frame)"; "3.10 s" for no frames.
std::string timing_text(int64_t frames, double seconds);
// `value` to `digits` significant digits in fixed notation (32.3, 0.0310, 1234).
std::string significant(double value, int digits);

// The closing line of a frame stage, e.g.
// "100 frames packed (hsbs, left-first), 20 already present, 3.10 s (32.3 fps, 0.0310 s/frame)";
// no rate when none was written.
std::string frame_summary(int64_t written, const std::string& done_what, int64_t skipped, double seconds);

// Seconds since `start` as a double.
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace s3d
