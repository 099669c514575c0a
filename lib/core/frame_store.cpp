#include "core/frame_store.hpp"

#include <algorithm>
#include <cstdio>

#include "core/errors.hpp"

namespace s3d {

const std::vector<std::string>& frame_extensions() {
  static const std::vector<std::string> exts = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".ppm", ".pgm"};
  return exts;
}

std::string frame_filename(int64_t index, std::string_view ext) {
  if (index < 0 || index > kMaxFrameIndex)
    throw Error("frame index " + std::to_string(index) + " is outside the frame store's range 0.." +
                std::to_string(kMaxFrameIndex));
  char digits[32];
  std::snprintf(digits, sizeof digits, "%0*lld", kFrameIndexDigits, static_cast<long long>(index));
  return std::string(digits) + std::string(ext);
}

fs::path frame_path(const fs::path& dir, int64_t index, std::string_view ext) {
  return dir / frame_filename(index, ext);
}

std::optional<int64_t> parse_frame_filename(std::string_view name) {
  auto dot = name.find('.');
  if (dot != static_cast<size_t>(kFrameIndexDigits)) return std::nullopt;
  int64_t index = 0;
  for (size_t i = 0; i < dot; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    index = index * 10 + (name[i] - '0');
  }
  std::string ext(name.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto& exts = frame_extensions();
  if (std::find(exts.begin(), exts.end(), ext) == exts.end()) return std::nullopt;
  return index;
}

std::vector<FrameFile> list_frames(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error("frame directory '" + dir.string() + "' does not exist or is not a directory");
  std::vector<FrameFile> frames;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto index = parse_frame_filename(entry.path().filename().string());
    if (index && entry.is_regular_file()) frames.push_back({*index, entry.path()});
  }
  if (ec) throw Error("cannot list frame directory '" + dir.string() + "': " + ec.message());
  std::sort(frames.begin(), frames.end(), [](const FrameFile& a, const FrameFile& b) {
    return a.index != b.index ? a.index < b.index : a.path < b.path;
  });
  for (size_t i = 1; i < frames.size(); ++i)
    if (frames[i].index == frames[i - 1].index)
      throw Error("frame " + std::to_string(frames[i].index) + " is stored twice: '" +
                  frames[i - 1].path.string() + "' and '" + frames[i].path.string() + "'");
  return frames;
}

std::vector<FrameFile> frames_in_range(const std::vector<FrameFile>& frames, const FrameRange& range) {
  std::vector<FrameFile> out;
  for (const auto& f : frames)
    if (range.contains(f.index)) out.push_back(f);
  return out;
}

std::optional<fs::path> find_frame(const fs::path& dir, int64_t index) {
  std::optional<fs::path> found;
  for (const auto& ext : frame_extensions()) {
    auto p = frame_path(dir, index, ext);
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) continue;
    if (found)
      throw Error("frame " + std::to_string(index) + " is stored twice: '" + found->string() + "' and '" + p.string() +
                  "' (remove one)");
    found = p;
  }
  return found;
}

void require_whole_range(const std::vector<FrameFile>& in_range, const FrameRange& range, const std::string& where) {
  if (!range.is_open()) {
    const int64_t wanted = range.end - range.start;
    int64_t first_missing = range.start;
    for (const auto& f : in_range) {
      if (f.index != first_missing) break;
      ++first_missing;
    }
    const int64_t present = static_cast<int64_t>(in_range.size());
    if (present < wanted)
      throw Error("--range " + range.str() + ": " + where + " holds " + std::to_string(present) + " of its " +
                  std::to_string(wanted) + " frames (" + std::to_string(wanted - present) +
                  " missing, the first missing is frame " + std::to_string(first_missing) + ")");
    return;
  }
  if (in_range.empty()) throw Error(where + " holds no frame" + (range.is_all() ? "" : " of --range " + range.str()));
  const int64_t start = range.is_all() ? in_range.front().index : range.start;
  for (size_t i = 0; i < in_range.size(); ++i)
    if (in_range[i].index != start + static_cast<int64_t>(i))
      throw Error("frame " + std::to_string(start + static_cast<int64_t>(i)) + " missing in " + where +
                  " (expected every frame from " + std::to_string(start) + " to the last present, " +
                  std::to_string(in_range.back().index) + ")");
}

void ensure_directory(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw Error("cannot create directory '" + dir.string() + "': " + (ec ? ec.message() : "not a directory"));
}

}  // namespace s3d
