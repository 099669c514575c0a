#include "imageio/frame_stream.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "core/errors.hpp"
#include "core/pipe_buffer.hpp"

namespace s3d {
namespace {

constexpr const char* kMagic = "s3d-frames 1 bgr24 ";

}  // namespace

FrameStreamWriter::FrameStreamWriter(int fd, const FrameStreamHeader& header, std::string name)
    : fd_(fd), header_(header), name_(std::move(name)) {
  std::signal(SIGPIPE, SIG_IGN);  // a reader that quits is reported as a write error
  widen_pipe(fd_);
  char line[160];
  const int n = std::snprintf(line, sizeof line, "%s%dx%d first=%lld count=%lld\n", kMagic, header.size.width,
                              header.size.height, static_cast<long long>(header.first),
                              static_cast<long long>(header.count));
  write_bytes(line, static_cast<size_t>(n));
}

void FrameStreamWriter::write_bytes(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw Error("cannot write the frame stream to " + name_ + " after " + std::to_string(written_) + " of " +
                  std::to_string(header_.count) + " frames: " + std::strerror(errno) +
                  (errno == EPIPE ? " (the reading program stopped; see its message)" : ""));
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void FrameStreamWriter::write(const cv::Mat& bgr) {
  if (bgr.type() != CV_8UC3 || bgr.size() != header_.size)
    throw Error("frame stream to " + name_ + ": frame " + std::to_string(header_.first + written_) + " is " +
                std::to_string(bgr.cols) + "x" + std::to_string(bgr.rows) + ", expected " +
                std::to_string(header_.size.width) + "x" + std::to_string(header_.size.height) + " 8-bit BGR");
  if (written_ >= header_.count) throw Error("frame stream to " + name_ + ": more frames than the header's count");
  if (bgr.isContinuous()) {
    write_bytes(bgr.data, bgr.total() * 3);
  } else {
    for (int y = 0; y < bgr.rows; ++y) write_bytes(bgr.ptr(y), static_cast<size_t>(bgr.cols) * 3);
  }
  ++written_;
}

FrameStreamReader::FrameStreamReader(int fd, std::string name) : fd_(fd), name_(std::move(name)) {
  widen_pipe(fd_);
  std::string line;
  for (char c = 0; line.size() < 200;) {
    const ssize_t n = ::read(fd_, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    line += c;
  }
  int w = 0, h = 0;
  long long first = 0, count = 0;
  const std::string magic = kMagic;
  if (line.compare(0, magic.size(), magic) != 0 ||
      std::sscanf(line.c_str() + magic.size(), "%dx%d first=%lld count=%lld", &w, &h, &first, &count) != 4 ||
      w <= 0 || h <= 0 || count < 0 || first < 0)
    throw Error(name_ + ": not an s3d frame stream (expected a first line '" + magic +
                "WxH first=N count=M', got '" + line.substr(0, 80) + "')");
  header_ = {cv::Size(w, h), first, count};
}

bool FrameStreamReader::read(cv::Mat& bgr) {
  if (read_ >= header_.count) return false;
  bgr.create(header_.size, CV_8UC3);
  size_t left = bgr.total() * 3;
  char* p = reinterpret_cast<char*>(bgr.data);
  while (left > 0) {
    const ssize_t n = ::read(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw Error(name_ + ": the frame stream ended after " + std::to_string(read_) + " of its " +
                  std::to_string(header_.count) + " frames (the writing program failed; see its message)");
    p += n;
    left -= static_cast<size_t>(n);
  }
  ++read_;
  return true;
}

}  // namespace s3d
