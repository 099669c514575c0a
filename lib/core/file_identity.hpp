// Whether two names reach the same file: an output must never be written over an input.
#pragma once
#include <filesystem>
#include <string>

namespace s3d {

// True when `a` and `b` are the same file or directory: the same inode where both exist
// (hard links, symlinks, "./x" vs "x"), else the same path once made absolute and normal.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

// Throws UsageError "<output_option> 'x' is the same file as <input_option> 'y': ..." when
// same_file(output, input).
void refuse_overwriting_input(const std::filesystem::path& output, const std::string& output_option,
                              const std::filesystem::path& input, const std::string& input_option);

}  // namespace s3d
