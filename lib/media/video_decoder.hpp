// Decoding a video onto s3d's frame grid with ffmpeg: frame k is the picture nearest to
// start_time + k / rate (probe.hpp), the same pixels whether the whole video or any range of
// it is decoded, at a cost proportional to the range (ffmpeg seeks to the keyframe before).
// Shared by s3d-extract (frames to files) and the video frame source (frames to a stage).
#pragma once
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "media/probe.hpp"

namespace s3d::media {

// Frames decoded by one ffmpeg run: [start, end) on the grid.
struct Span {
  int64_t start, end;
};

// The ffmpeg runs for the `wanted` frames (wanted[i] is frame first + i): runs of wanted
// frames, merged when the gap between them is at most `max_gap` (decoding a few frames
// again is cheaper than a new ffmpeg start and seek).
std::vector<Span> plan_spans(const std::vector<bool>& wanted, int64_t first, int64_t max_gap);
// The gap plan_spans merges over for `rate`: 2 s, at least 24 frames.
int64_t merge_gap(Rational rate);

struct DecodeSettings {
  enum class Output { kBgr, kPng };  // raw 8-bit BGR frames, or PNG files (16-bit gray sources stay 16-bit)
  cv::Size size;                     // output size (scaled by ffmpeg when not the video's)
  Output output = Output::kBgr;
  int png_compression = 1;           // kPng: zlib level 0..9
  std::string hwaccel = "none";      // ffmpeg's -hwaccel
  int threads = 0;                   // ffmpeg's -threads; 0 = its default
};

// The ffmpeg command that writes frames [span) of the grid at `rate` to its stdout.
std::vector<std::string> decode_command(const VideoInfo& info, Rational rate, Span span, const DecodeSettings& settings);

// A 16-bit gray source (a depth archive): decoded to 16-bit gray PNGs, never to 8-bit.
bool is_gray16(const VideoInfo& info);

// A size rounded to even, at least 2 (4:2:0 chroma).
int even_size(double x);

}  // namespace s3d::media
