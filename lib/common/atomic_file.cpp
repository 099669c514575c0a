#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "common/errors.hpp"

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

void write_file_atomic(const fs::path& final_path, const void* data, size_t size) {
  const fs::path tmp = temp_path_for(final_path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    throw Error("cannot create '" + tmp.string() + "' (for '" + final_path.string() + "'): " +
                std::strerror(errno));
  auto fail = [&](const char* what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw Error(std::string("cannot write '") + final_path.string() + "': " + what + ": " + std::strerror(err));
  };
  const char* p = static_cast<const char*>(data);
  size_t left = size;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (durable_writes() && ::fdatasync(fd) != 0) fail("fdatasync failed");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error("cannot write '" + final_path.string() + "': close failed: " + std::strerror(err));
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error("cannot rename '" + tmp.string() + "' to '" + final_path.string() + "': " + std::strerror(err));
  }
}

void write_file_atomic(const fs::path& final_path, std::string_view text) {
  write_file_atomic(final_path, text.data(), text.size());
}

}  // namespace s3d
