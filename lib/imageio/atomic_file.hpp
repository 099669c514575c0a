// Crash-safe output, the one implementation every s3d file goes through: data goes to a temp
// name in the same directory, is flushed to disk, then renamed over the final name. A crash
// or a failed write never leaves a truncated file under a final name, and the temp file is
// removed on failure. Files another program writes (ffmpeg) use AtomicOutput the same way.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string_view>

namespace s3d {

namespace fs = std::filesystem;

// The temp name used for `final_path`: ".<name>.tmp<pid>-<n>" beside it. Dot-prefixed so
// frame listings ignore it; pid + counter so concurrent writers never share one.
fs::path temp_path_for(const fs::path& final_path);

// Whether writes are fsync'ed before the rename (default: yes, so a power loss after a
// tool reports a frame done cannot lose it). S3D_NO_FSYNC=1 turns it off, for scratch runs.
bool durable_writes();

// A file being written under its temp name. Write through write(), or let another program
// write temp(); commit() flushes it (unless S3D_NO_FSYNC=1) and renames it to the final
// name. Destroyed uncommitted, it removes the temp file.
class AtomicOutput {
 public:
  explicit AtomicOutput(fs::path final_path);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const fs::path& temp() const { return temp_; }
  const fs::path& final_path() const { return final_; }
  // Appends bytes to the temp file (created on the first call). Throws Error naming the final file.
  void write(const void* data, size_t size);
  // Flushes and renames. Throws Error naming the files.
  void commit();

 private:
  [[noreturn]] void fail(const char* what, int err);

  fs::path final_, temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// Writes `size` bytes to `final_path` atomically. Throws Error naming the file on failure.
void write_file_atomic(const fs::path& final_path, const void* data, size_t size);
void write_file_atomic(const fs::path& final_path, std::string_view text);

}  // namespace s3d
