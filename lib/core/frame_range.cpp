#include "core/frame_range.hpp"

#include <charconv>

#include "core/errors.hpp"

namespace s3d {
namespace {

int64_t parse_index(std::string_view text, std::string_view whole) {
  int64_t value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0)
    throw UsageError("--range '" + std::string(whole) +
                     "': expected START:END with non-negative integer frame indices, got '" +
                     std::string(text) + "'");
  return value;
}

}  // namespace

FrameRange FrameRange::parse(std::string_view text) {
  FrameRange range;
  if (text.empty() || text == ":") return range;
  auto colon = text.find(':');
  if (colon == std::string_view::npos)
    throw UsageError("--range '" + std::string(text) + "': expected START:END (half-open), e.g. 0:1000");
  auto a = text.substr(0, colon), b = text.substr(colon + 1);
  if (!a.empty()) range.start = parse_index(a, text);
  if (!b.empty()) range.end = parse_index(b, text);
  if (range.end < range.start)
    throw UsageError("--range '" + std::string(text) + "': END must be >= START");
  return range;
}

std::string FrameRange::str() const {
  return std::to_string(start) + ":" + (is_open() ? std::string() : std::to_string(end));
}

}  // namespace s3d
