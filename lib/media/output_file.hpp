// Files ffmpeg writes for us, made crash-safe like every s3d output: ffmpeg writes a temp
// name beside the final one (with the muxer given explicitly, since the temp name has no
// usable extension), then the file is flushed and renamed over the final name.
#pragma once
#include <filesystem>
#include <string>

namespace s3d::media {

namespace fs = std::filesystem;

// ffmpeg's muxer for an output file name: .mkv matroska, .mp4 mp4, .mov mov, .ts mpegts.
// Throws UsageError naming `option` for other extensions.
std::string muxer_for(const fs::path& path, const std::string& option);

class TempOutput {
 public:
  explicit TempOutput(fs::path final_path);
  ~TempOutput();  // removes the temp file unless committed
  TempOutput(const TempOutput&) = delete;
  TempOutput& operator=(const TempOutput&) = delete;

  const fs::path& temp() const { return temp_; }
  // Flushes the temp file (unless S3D_NO_FSYNC=1) and renames it to the final name.
  void commit();

 private:
  fs::path final_, temp_;
  bool committed_ = false;
};

}  // namespace s3d::media
