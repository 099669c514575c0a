// A video as a stage's frame source: frames on s3d's grid (video_decoder.hpp) decoded by
// ffmpeg on the fly and piped in as raw BGR, so a stage reads the film itself instead of
// extracted frame files. Frame-exact for any range, like s3d-extract.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>

#include "core/option_table.hpp"
#include "imageio/frame_source.hpp"
#include "media/rational.hpp"

namespace s3d::media {

struct VideoSourceOptions {
  std::filesystem::path video;  // --video FILE: the source film ("" = none)
  std::optional<Rational> fps;  // --fps RATE: the frame grid's rate; default the probed rate

  // --video, --fps.
  static const OptionTable<VideoSourceOptions>& table();
};

// Opens (probes) the video. `threads` go to ffmpeg's decoder (0 = its default). Throws
// Error naming the file when it is not a readable video.
std::unique_ptr<FrameSource> open_video(const VideoSourceOptions& options, int threads);

}  // namespace s3d::media
