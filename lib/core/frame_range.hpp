// Half-open ranges of global frame indices, as given by --range START:END.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace s3d {

struct FrameRange {
  static constexpr int64_t kOpenEnd = std::numeric_limits<int64_t>::max();

  int64_t start = 0;         // first frame (inclusive), >= 0
  int64_t end = kOpenEnd;    // one past the last frame; kOpenEnd = up to the last frame present

  // Parses "A:B", "A:" (from A to the end), ":B" and "" (everything). Throws UsageError.
  static FrameRange parse(std::string_view text);

  bool contains(int64_t index) const { return index >= start && index < end; }
  bool is_open() const { return end == kOpenEnd; }
  bool is_all() const { return start == 0 && is_open(); }  // the default: every frame
  std::string str() const;  // "A:B" or "A:"
};

}  // namespace s3d
