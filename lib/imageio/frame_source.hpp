// Where a stage's input frames come from: a frame store (files named by frame index) here,
// or a video decoded on the fly (media/video_source.hpp). Stages read through this
// interface, so each tool takes either `--frames DIR` or `--video FILE` and the pipeline
// needs no extracted frames on disk.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/frame_range.hpp"

namespace s3d {

struct IndexedFrame {
  int64_t index = -1;
  cv::Mat image;  // 8-bit BGR
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;

  // The frame indices this source holds inside `range`, ascending (a store: the files
  // present; a video: every frame of its grid).
  virtual std::vector<int64_t> indices(const FrameRange& range) = 0;
  // Reads `wanted` (ascending, unique, a subset of indices()): next() then returns them in
  // that order, once each, and false after the last.
  virtual void start(std::vector<int64_t> wanted) = 0;
  virtual bool next(IndexedFrame& frame) = 0;
  // Width and height of the frame `index`, without decoding it where the source can.
  virtual cv::Size size_of(int64_t index) = 0;
  // "frame directory 'f'", "video 'film.mkv'": for messages.
  virtual std::string name() const = 0;
  // One frame, for messages: "frame 'f/000012.png'", "frame 12 of video 'film.mkv'".
  virtual std::string frame_name(int64_t index) const { return "frame " + std::to_string(index) + " of " + name(); }
};

// The frames of a frame stream (frame_stream.hpp) read from `fd`, e.g. 0 for `--frames -`:
// every frame in the stream's order; start() must want the frames of the stream, and frames
// not wanted are read past. Throws Error when the header is not a frame stream.
std::unique_ptr<FrameSource> open_frame_stream(int fd, const std::string& name);

// The 8-bit frames of the frame store `dir`, `threads` of them decoded ahead of the reader.
// Throws Error naming `dir` when it does not exist or stores a frame twice.
std::unique_ptr<FrameSource> open_frame_store(const std::filesystem::path& dir, int threads);

}  // namespace s3d
