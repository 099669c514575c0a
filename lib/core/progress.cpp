#include "core/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace s3d {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string significant(double value, int digits) {
  if (!std::isfinite(value)) return "?";
  const double magnitude = value > 0 ? std::floor(std::log10(value)) : 0;
  const int decimals = std::clamp(digits - 1 - static_cast<int>(magnitude), 0, 9);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string frame_rate_text(int64_t frames, double seconds) {
  if (frames <= 0) return "";
  const double s = std::max(seconds, 1e-9);
  return significant(frames / s, 3) + " fps, " + significant(s / frames, 3) + " s/frame";
}

std::string timing_text(int64_t frames, double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", seconds);
  const std::string rate = frame_rate_text(frames, seconds);
  return rate.empty() ? std::string(buf) : std::string(buf) + " (" + rate + ")";
}

std::string frame_summary(int64_t written, const std::string& done_what, int64_t skipped, double seconds) {
  return std::to_string(written) + " frames " + done_what + ", " + std::to_string(skipped) + " already present, " +
         timing_text(written, seconds);
}

StderrProgress::StderrProgress(std::string tool, bool quiet, std::string unit, double max_per_second)
    : tool_(std::move(tool)),
      unit_(std::move(unit)),
      quiet_(quiet),
      tty_(::isatty(STDERR_FILENO) == 1),
      min_interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(1.0 / max_per_second))),
      start_(std::chrono::steady_clock::now()),
      last_(start_ - min_interval_),
      last_record_(last_) {}

std::string StderrProgress::format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?:??:??";
  long s = std::lround(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

namespace {

std::string& record_file() {
  static std::string path;
  return path;
}

}  // namespace

void StderrProgress::set_record_file(std::string path) { record_file() = std::move(path); }

void StderrProgress::record(int64_t done, int64_t total) {
  const std::string& path = record_file();
  const auto now = std::chrono::steady_clock::now();
  if (path.empty() || (now - last_record_ < min_interval_ && done < total)) return;
  last_record_ = now;
  const std::string slash = path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/') + 1);
  const std::string temp = slash + "." + path.substr(slash.size()) + ".tmp" + std::to_string(::getpid());
  if (FILE* f = std::fopen(temp.c_str(), "w")) {
    const bool ok = std::fprintf(f, "%lld %lld\n", static_cast<long long>(done), static_cast<long long>(total)) > 0;
    if (std::fclose(f) == 0 && ok) std::rename(temp.c_str(), path.c_str());
  }
}

void StderrProgress::update(int64_t done, int64_t total) {
  if (!record_file().empty()) {
    std::lock_guard<std::mutex> lock(mutex_);
    record(done, total);
  }
  if (quiet_ || !tty_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < min_interval_ && done < total) return;
  last_ = now;
  const double elapsed = seconds_since(start_);
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const double eta = rate > 0 ? (total - done) / rate : NAN;
  const std::string rate_unit = unit_ == "frames" ? "fps" : unit_ + "/s";
  std::fprintf(stderr, "\r%s: %lld/%lld %s  %.1f %s  ETA %s\033[K", tool_.c_str(), static_cast<long long>(done),
               static_cast<long long>(total), unit_.c_str(), rate, rate_unit.c_str(), format_duration(eta).c_str());
  std::fflush(stderr);
  printed_ = true;
}

void StderrProgress::finish(const std::string& summary) {
  if (quiet_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (printed_) std::fputs("\r\033[K", stderr);
  std::fprintf(stderr, "%s: %s\n", tool_.c_str(), summary.c_str());
  std::fflush(stderr);
}

ProgressFn StderrProgress::callback() {
  return [this](int64_t done, int64_t total) { update(done, total); };
}

}  // namespace s3d
