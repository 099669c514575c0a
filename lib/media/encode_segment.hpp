// s3d-encode, segment mode: one chunk of packed 3D frames -> one video segment.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>

#include "common/frame_range.hpp"
#include "common/progress.hpp"
#include "media/rational.hpp"

namespace s3d::media {

namespace fs = std::filesystem;

struct SegmentOptions {
  fs::path frames_dir;               // packed frame store (required)
  fs::path out;                      // segment file: .mkv (recommended), .mp4, .mov or .ts (required)
  Rational fps;                      // frame rate, the source's exact rate (required), e.g. 24000/1001
  FrameRange range;                  // frames to encode; default every frame present (must be contiguous)
  std::string codec = "auto";        // auto | libx264 | libx265 | h264_nvenc | hevc_nvenc; default auto
  int crf = -1;                      // constant quality; -1 = the codec's default (x264 18, x265 20, NVENC 19)
  std::string bitrate;               // e.g. "8M": average bitrate instead of constant quality; "" = use crf
  std::string preset = "medium";     // encoder preset; default medium
  std::string pix_fmt = "yuv420p";   // yuv420p (default) | yuv420p10le (10-bit)
  bool force = false;                // re-encode when the segment already exists
  int threads = 0;                   // frame-reading threads and encoder threads; 0 = every core / encoder default
  ProgressFn progress;               // called after each frame sent to the encoder (may be empty)

  void check() const;  // UsageError for invalid values
};

struct SegmentResult {
  bool skipped = false;   // the segment existed (not --force): nothing done
  int64_t frames = 0;     // frames encoded
  std::string codec;      // the encoder used (auto resolved)
  cv::Size frame_size;    // size of the packed frames
  cv::Size coded_size;    // size in the segment (odd sizes padded to even for 4:2:0)
};

// The coded size for frames of `size`: 4:2:0 needs even dimensions, so an odd width or
// height gets one black column/row added on the right/bottom (never scaled or cropped).
cv::Size coded_size_for(cv::Size size, const std::string& pix_fmt);

// Encodes frames [range) of options.frames_dir. Checks first that every frame exists and
// has the same size; the segment appears under its final name only when complete.
// Encoding the same frames with the same options gives byte-identical segments
// (deterministic encoders, bit-exact muxing, no creation times).
SegmentResult encode_segment(const SegmentOptions& options);

}  // namespace s3d::media
