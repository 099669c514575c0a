#include "core/file_identity.hpp"

#include <sys/stat.h>

#include "core/errors.hpp"

namespace s3d {

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ea, eb;
  const auto ca = std::filesystem::weakly_canonical(a, ea), cb = std::filesystem::weakly_canonical(b, eb);
  return !ea && !eb && ca == cb;
}

void refuse_overwriting_input(const std::filesystem::path& output, const std::string& output_option,
                              const std::filesystem::path& input, const std::string& input_option) {
  if (!output.empty() && !input.empty() && same_file(output, input))
    throw UsageError(output_option + " '" + output.string() + "' is the same file as " + input_option + " '" +
                     input.string() + "': the output would destroy the input; choose another " + output_option);
}

}  // namespace s3d
