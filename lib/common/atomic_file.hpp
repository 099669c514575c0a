// Crash-safe output: data goes to a temp name in the same directory, is flushed to disk,
// then renamed over the final name. A crash or a failed write never leaves a truncated
// file under a final name, and the temp file is removed on failure.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string_view>

namespace s3d {

namespace fs = std::filesystem;

// The temp name used for `final_path`: ".<name>.tmp<pid>-<n>" beside it. Dot-prefixed so
// frame listings ignore it; pid + counter so concurrent writers never share one.
fs::path temp_path_for(const fs::path& final_path);

// Writes `size` bytes to `final_path` atomically. Throws Error naming the file on failure.
void write_file_atomic(const fs::path& final_path, const void* data, size_t size);
void write_file_atomic(const fs::path& final_path, std::string_view text);

// Whether writes are fsync'ed before the rename (default: yes, so a power loss after a
// tool reports a frame done cannot lose it). S3D_NO_FSYNC=1 turns it off, for scratch runs.
bool durable_writes();

}  // namespace s3d
