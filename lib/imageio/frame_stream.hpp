// Frames through a pipe between two s3d tools, so that a pipeline need not store them:
//   s3d-parallax ... --pack hsbs --out - | s3d-encode --frames - ...
// The stream is one header line, then the frames' pixels back to back:
//   "s3d-frames 1 bgr24 <width>x<height> first=<index> count=<n>\n"  +  n x (width * height * 3) bytes
// (8-bit BGR rows, top to bottom). The reader knows how many frames come, so a writer that
// dies midway is an error, never a short video.
#pragma once
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

namespace s3d {

struct FrameStreamHeader {
  cv::Size size;       // every frame's size
  int64_t first = 0;   // global index of the first frame
  int64_t count = 0;   // frames that follow
};

class FrameStreamWriter {
 public:
  // Writes the header to `fd` (e.g. 1 = stdout). Throws Error naming `name` on a write failure.
  FrameStreamWriter(int fd, const FrameStreamHeader& header, std::string name);
  // Writes one frame (CV_8UC3 of the header's size).
  void write(const cv::Mat& bgr);

 private:
  void write_bytes(const void* data, size_t size);
  int fd_;
  FrameStreamHeader header_;
  std::string name_;
  int64_t written_ = 0;
};

class FrameStreamReader {
 public:
  // Reads and checks the header from `fd` (e.g. 0 = stdin); Error naming `name` if it is not one.
  FrameStreamReader(int fd, std::string name);
  const FrameStreamHeader& header() const { return header_; }
  // Reads the next frame into `bgr` (CV_8UC3); false after the header's count. Error when the
  // stream ends early.
  bool read(cv::Mat& bgr);

 private:
  int fd_;
  std::string name_;
  FrameStreamHeader header_;
  int64_t read_ = 0;
};

}  // namespace s3d
