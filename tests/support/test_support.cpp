#include "support/test_support.hpp"

#include <cstdlib>

#include "support/skip.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <stdexcept>
#include <fstream>
#include <random>
#include <sstream>

extern char** environ;

namespace s3d::test {

TempDir::TempDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          (tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

FileSizeLimit::FileSizeLimit(long bytes) {
  struct rlimit old {};
  getrlimit(RLIMIT_FSIZE, &old);
  old_cur_ = static_cast<long>(old.rlim_cur);
  old_max_ = static_cast<long>(old.rlim_max);
  old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit cap = old;
  cap.rlim_cur = static_cast<rlim_t>(bytes);
  if (setrlimit(RLIMIT_FSIZE, &cap) != 0) throw std::runtime_error("setrlimit(RLIMIT_FSIZE) failed");
}

FileSizeLimit::~FileSizeLimit() {
  struct rlimit old {};
  old.rlim_cur = static_cast<rlim_t>(old_cur_);
  old.rlim_max = static_cast<rlim_t>(old_max_);
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler_);
}

fs::path bin_dir() { return S3D_BIN_DIR; }
fs::path source_dir() { return S3D_SOURCE_DIR; }

fs::path shared_dir() {
  std::error_code ec;
  const char* env = std::getenv("S3D_SHARED_DIR");
  fs::path p = fs::weakly_canonical(fs::path(env && *env ? env : S3D_SHARED_DIR), ec);
  return fs::is_directory(p / "golden", ec) ? p : fs::path();
}

namespace {
std::atomic<int> skips{0};
}  // namespace

int skipped_count() { return skips; }
void count_skip() { ++skips; }

static std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args) {
  static std::atomic<int> counter{0};
  const fs::path base = fs::temp_directory_path() /
                        ("s3d-run-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  const std::string out_path = base.string() + ".out", err_path = base.string() + ".err";

  std::vector<std::string> argv_s = {program};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  RunResult r;
  int rc = program.find('/') == std::string::npos
               ? posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ)
               : posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    r.err = "cannot start " + program;
    return r;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return r;
}

RunResult run_tool(const std::string& tool, const std::vector<std::string>& args) {
  return run_program((bin_dir() / tool).string(), args);
}

double max_abs_diff(const cv::Mat& a, const cv::Mat& b) {
  CV_Assert(a.size() == b.size() && a.type() == b.type());
  return cv::norm(a, b, cv::NORM_INF);
}

double psnr(const cv::Mat& a, const cv::Mat& b) {
  CV_Assert(a.size() == b.size() && a.type() == b.type());
  cv::Mat da, db;
  a.convertTo(da, CV_64F);
  b.convertTo(db, CV_64F);
  cv::Mat d = da - db;
  const cv::Scalar per_channel = cv::sum(d.mul(d));
  const double mse = (per_channel[0] + per_channel[1] + per_channel[2] + per_channel[3]) /
                     (double(a.total()) * a.channels());
  return mse == 0 ? INFINITY : 10 * std::log10(255.0 * 255.0 / mse);
}

std::vector<fs::path> files_below(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace s3d::test
