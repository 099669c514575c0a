#include "media/video_codec.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

#include "core/errors.hpp"
#include "media/subprocess.hpp"

namespace s3d::media {
namespace {

bool is_nvenc(const std::string& codec) { return codec.find("nvenc") != std::string::npos; }

}  // namespace

const std::vector<std::string>& codec_names() {
  static const std::vector<std::string> names = {"auto", "libx264", "libx265", "h264_nvenc", "hevc_nvenc", "ffv1"};
  return names;
}

std::string muxer_for(const std::filesystem::path& path, const std::string& option) {
  std::string ext = path.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".mkv") return "matroska";
  if (ext == ".mp4") return "mp4";
  if (ext == ".mov") return "mov";
  if (ext == ".ts") return "mpegts";
  throw UsageError(option + " '" + path.string() + "': expected a .mkv, .mp4, .mov or .ts file name, got extension '" +
                   ext + "'");
}

void check_preset(const std::string& codec, const std::string& preset) {
  static const std::vector<std::string> x26x = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                                "medium",    "slow",      "slower",   "veryslow", "placebo"};
  static const std::vector<std::string> nvenc = {"p1",   "p2",   "p3",   "p4", "p5", "p6",   "p7",   "default",
                                                 "slow", "medium", "fast", "hp", "hq", "bd", "ll", "llhq",
                                                 "llhp", "lossless", "losslesshp"};
  if (codec == "ffv1") return;
  const auto& names = is_nvenc(codec) ? nvenc : x26x;
  if (std::find(names.begin(), names.end(), preset) != names.end()) return;
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  throw UsageError("--preset: " + codec + " takes " + list + ", got '" + preset + "'");
}

void check_bitrate(const std::string& bitrate) {
  size_t digits = 0, dots = 0;
  for (char c : bitrate) {
    if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
    else if (c == '.') ++dots;
  }
  const char last = bitrate.empty() ? '\0' : bitrate.back();
  const bool unit = last == 'k' || last == 'K' || last == 'M' || last == 'G';
  const bool ok = digits > 0 && dots <= 1 && digits + dots + (unit ? 1 : 0) == bitrate.size() &&
                  std::isdigit(static_cast<unsigned char>(bitrate.front())) && std::stod(bitrate) > 0;
  if (!ok) throw UsageError("--bitrate: expected a positive rate such as 8M or 2500k, got '" + bitrate + "'");
}

bool encoder_works(const std::string& encoder) {
  static std::mutex mutex;
  static std::map<std::string, bool> cache;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(encoder); it != cache.end()) return it->second;
  bool works = false;
  try {
    const auto out = run_command({ffmpeg_program(), "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                                  "color=c=black:s=256x256:r=25:d=0.2", "-frames:v", "2", "-c:v", encoder, "-f",
                                  "null", "-"});
    works = out.exit_code == 0;
  } catch (const Error&) {
    works = false;  // ffmpeg missing: reported by the real encode
  }
  return cache[encoder] = works;
}

std::string resolve_codec(const std::string& name) {
  if (name != "auto") return name;
  return encoder_works("h264_nvenc") ? "h264_nvenc" : "libx264";
}

std::string encoder_pix_fmt(const std::string& codec, const std::string& pix_fmt) {
  if (is_nvenc(codec) && pix_fmt == "yuv420p10le") return "p010le";
  return pix_fmt;
}

int default_crf(const std::string& codec) {
  if (codec == "libx265") return 20;
  if (is_nvenc(codec)) return 19;
  return 18;
}

std::vector<std::string> encoder_args(const std::string& codec, const std::string& preset, int crf,
                                      const std::string& bitrate, int threads) {
  if (codec == "ffv1") {  // lossless; GOP 1 so that any frame decodes alone
    std::vector<std::string> args = {"-c:v", "ffv1", "-level", "3", "-slices", "4", "-slicecrc", "1", "-g", "1"};
    if (threads > 0) args.insert(args.end(), {"-threads", std::to_string(threads)});
    return args;
  }
  std::vector<std::string> args = {"-c:v", codec, "-preset", preset};
  if (!bitrate.empty()) {
    args.insert(args.end(), {"-b:v", bitrate});
  } else if (is_nvenc(codec)) {
    args.insert(args.end(), {"-rc", "vbr", "-cq", std::to_string(crf), "-b:v", "0"});
  } else {
    args.insert(args.end(), {"-crf", std::to_string(crf)});
  }
  if (codec == "libx265") args.insert(args.end(), {"-x265-params", "log-level=error"});
  if (threads > 0 && !is_nvenc(codec)) args.insert(args.end(), {"-threads", std::to_string(threads)});
  return args;
}

}  // namespace s3d::media
