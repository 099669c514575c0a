// Shared helpers for the test suite: scratch directories, running the stage binaries,
// locating ../shared, and image comparisons with an explicit tolerance.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace s3d::test {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "s3d-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// Injects real write failures: while alive, the process may not write files larger than
// `bytes` (write() fails with EFBIG; SIGXFSZ is ignored). Restores the old limit on exit.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(long bytes);
  ~FileSizeLimit();
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  long old_cur_, old_max_;
  void (*old_handler_)(int);
};

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs bin/<tool> with `args` (no shell), capturing stdout and stderr.
RunResult run_tool(const std::string& tool, const std::vector<std::string>& args);
// Runs any program found on PATH (e.g. ffprobe) with `args`.
RunResult run_program(const std::string& program, const std::vector<std::string>& args);

fs::path bin_dir();
fs::path source_dir();
// ../shared beside the checkout ($S3D_SHARED_DIR instead, when set); empty if it is absent
// (tests then skip, see skip.hpp).
fs::path shared_dir();

// Largest absolute per-element difference of two same-size, same-type images.
double max_abs_diff(const cv::Mat& a, const cv::Mat& b);
// PSNR in dB of two 8-bit images (inf when identical).
double psnr(const cv::Mat& a, const cv::Mat& b);

// All regular files below `dir` (recursively), sorted.
std::vector<fs::path> files_below(const fs::path& dir);

}  // namespace s3d::test
