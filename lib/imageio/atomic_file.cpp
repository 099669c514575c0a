#include "imageio/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/errors.hpp"

namespace s3d {

fs::path temp_path_for(const fs::path& final_path) {
  static std::atomic<unsigned> counter{0};
  auto name = "." + final_path.filename().string() + ".tmp" + std::to_string(::getpid()) + "-" +
              std::to_string(counter++);
  return final_path.parent_path() / name;
}

bool durable_writes() {
  static const bool durable = [] {
    const char* v = std::getenv("S3D_NO_FSYNC");
    return !(v && *v && std::string(v) != "0");
  }();
  return durable;
}

AtomicOutput::AtomicOutput(fs::path final_path) : final_(std::move(final_path)), temp_(temp_path_for(final_)) {}

AtomicOutput::~AtomicOutput() {
  if (fd_ >= 0) ::close(fd_);
  if (committed_) return;
  std::error_code ec;
  fs::remove(temp_, ec);
}

void AtomicOutput::fail(const char* what, int err) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  fs::remove(temp_, ec);
  throw Error(std::string("cannot write '") + final_.string() + "': " + what + ": " + std::strerror(err));
}

void AtomicOutput::write(const void* data, size_t size) {
  if (fd_ < 0) {
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw Error("cannot create '" + temp_.string() + "' (for '" + final_.string() + "'): " + std::strerror(errno));
  }
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void AtomicOutput::commit() {
  if (fd_ < 0) {  // written by another program: open it to flush it
    fd_ = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) fail(errno == ENOENT ? "the temp file was never written" : "cannot open the temp file", errno);
  }
  if (durable_writes() && ::fdatasync(fd_) != 0) fail("fdatasync failed", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("close failed", errno);
  if (::rename(temp_.c_str(), final_.c_str()) != 0) {
    const int err = errno;
    std::error_code ec;
    fs::remove(temp_, ec);
    throw Error("cannot rename '" + temp_.string() + "' to '" + final_.string() + "': " + std::strerror(err));
  }
  committed_ = true;
}

void write_file_atomic(const fs::path& final_path, const void* data, size_t size) {
  AtomicOutput out(final_path);
  out.write(data, size);
  out.commit();
}

void write_file_atomic(const fs::path& final_path, std::string_view text) {
  write_file_atomic(final_path, text.data(), text.size());
}

}  // namespace s3d
