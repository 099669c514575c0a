// s3d-encode, segment mode: one chunk of packed 3D frames -> one video segment.
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>

#include <optional>

#include "core/frame_stage_options.hpp"
#include "media/rational.hpp"

namespace s3d::media {

namespace fs = std::filesystem;

// `--frames -`: the frames come as a frame stream on stdin (imageio/frame_stream.hpp).
inline const fs::path kFrameStreamIn = "-";

struct SegmentOptions : FrameStageOptions {  // range: must be contiguous; threads: readers and encoder
  fs::path frames_dir;               // --frames: packed frame store, or "-" for a frame stream on stdin (required)
  fs::path out;                      // --out: segment file: .mkv (recommended), .mp4, .mov or .ts (required)
  Rational fps{0, 1};                // --fps: the source's exact rate, e.g. 24000/1001 (required)
  std::string codec = "auto";        // --codec: auto | libx264 | libx265 | h264_nvenc | hevc_nvenc | ffv1; default auto
  std::optional<int> crf;            // --crf 0..51: constant quality; default the codec's (x264 18, x265 20, NVENC 19)
  std::string bitrate;               // --bitrate e.g. "8M": average bitrate instead of constant quality
  std::string preset = "medium";     // --preset: encoder preset; default medium
  std::string pix_fmt = "yuv420p";   // --pix-fmt: yuv420p (default) | yuv420p10le (10-bit); ffv1 keeps
                                     //   16-bit gray frames (depth maps) as gray16le, losslessly

  static const OptionTable<SegmentOptions>& table();
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
// has the same size and type; the segment appears under its final name only when complete.
// 8-bit frames are encoded as colour video; 16-bit gray frames (depth maps) only with ffv1,
// as gray16le, bit-exact.
// Encoding the same frames with the same options gives byte-identical segments
// (deterministic encoders, bit-exact muxing, no creation times).
SegmentResult encode_segment(const SegmentOptions& options);

}  // namespace s3d::media
