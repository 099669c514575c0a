// A frame store is a directory of images named by 0-based global frame index, zero-padded
// to kFrameIndexDigits so that lexicographic order is frame order: 000123.png.
// Files whose names do not match (temp files start with '.') are ignored.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/frame_range.hpp"

namespace s3d {

namespace fs = std::filesystem;

// 6 digits cover 999,999 frames: 11.5 hours at 24 fps. Larger indices are rejected.
constexpr int kFrameIndexDigits = 6;
constexpr int64_t kMaxFrameIndex = 999999;

// Image extensions a frame store may hold, lower case, with the dot.
const std::vector<std::string>& frame_extensions();

// "000123.png" for (123, ".png"). Throws Error past kMaxFrameIndex.
std::string frame_filename(int64_t index, std::string_view ext);
fs::path frame_path(const fs::path& dir, int64_t index, std::string_view ext);

// The index of a frame file name ("000123.png" -> 123), or nothing if it is not one.
std::optional<int64_t> parse_frame_filename(std::string_view name);

struct FrameFile {
  int64_t index;
  fs::path path;
};

// All frames in `dir`, sorted by index. Throws Error if `dir` is missing or if two files
// claim the same index (000001.png and 000001.jpg).
std::vector<FrameFile> list_frames(const fs::path& dir);

// The frames of `frames` inside `range`.
std::vector<FrameFile> frames_in_range(const std::vector<FrameFile>& frames, const FrameRange& range);

// Checks that `in_range` (the frames of a source inside `range`, sorted) is every frame of
// `range`: with a bounded range all of START..END-1, with an open one a gapless run from
// START (from the first present for the default range). Throws Error naming `where` (e.g.
// "frame directory 'f'"), how many frames are missing and the first:
// "--range 0:100: frame directory 'f' holds 40 of its 100 frames (60 missing, the first missing is 40)".
void require_whole_range(const std::vector<FrameFile>& in_range, const FrameRange& range, const std::string& where);

// The file holding frame `index` in `dir`, whatever its image extension, if any. Throws
// Error when the frame is stored twice (000001.png and 000001.jpg).
std::optional<fs::path> find_frame(const fs::path& dir, int64_t index);

// Creates `dir` (and parents); throws Error naming it on failure.
void ensure_directory(const fs::path& dir);

}  // namespace s3d
