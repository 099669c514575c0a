#include "media/output_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/atomic_file.hpp"
#include "common/errors.hpp"

namespace s3d::media {

std::string muxer_for(const fs::path& path, const std::string& option) {
  std::string ext = path.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".mkv") return "matroska";
  if (ext == ".mp4") return "mp4";
  if (ext == ".mov") return "mov";
  if (ext == ".ts") return "mpegts";
  throw UsageError(option + " '" + path.string() + "': expected a .mkv, .mp4, .mov or .ts file name, got extension '" +
                   ext + "'");
}

TempOutput::TempOutput(fs::path final_path) : final_(std::move(final_path)), temp_(temp_path_for(final_)) {}

TempOutput::~TempOutput() {
  if (committed_) return;
  std::error_code ec;
  fs::remove(temp_, ec);
}

void TempOutput::commit() {
  if (durable_writes()) {
    const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fdatasync(fd) != 0) {
      const std::string why = std::strerror(errno);
      if (fd >= 0) ::close(fd);
      throw Error("cannot flush '" + temp_.string() + "': " + why);
    }
    ::close(fd);
  }
  std::error_code ec;
  fs::rename(temp_, final_, ec);
  if (ec) throw Error("cannot rename '" + temp_.string() + "' to '" + final_.string() + "': " + ec.message());
  committed_ = true;
}

}  // namespace s3d::media
