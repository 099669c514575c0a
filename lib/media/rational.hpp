// Exact frame rates: 30000/1001 must stay 30000/1001 (29.97 drifts by a frame every ~9 hours).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace s3d::media {

struct Rational {
  int64_t num = 0;
  int64_t den = 1;

  double value() const { return den ? static_cast<double>(num) / static_cast<double>(den) : 0.0; }
  bool valid() const { return num > 0 && den > 0; }
  std::string str() const { return std::to_string(num) + "/" + std::to_string(den); }  // "30000/1001"
  bool operator==(const Rational& o) const { return num * o.den == o.num * den; }
  bool operator!=(const Rational& o) const { return !(*this == o); }
};

// "30000/1001", "25", "29.97" (-> 2997/100); reduced. Nothing when malformed, zero or negative.
std::optional<Rational> parse_rational(std::string_view text);

// The highest frame rate s3d accepts (fps); anything above is a typo or a broken stream.
constexpr double kMaxFrameRate = 1000;

// A frame rate option's value: parse_rational within (0, kMaxFrameRate]; UsageError naming
// `option` ("--fps: expected a rate such as 24000/1001 or 25, at most 1000 fps, got 'x'").
Rational parse_frame_rate(std::string_view text, const std::string& option);

// Seconds of frame `index` on a grid of `rate` starting at `origin` seconds.
double frame_time(double origin, int64_t index, Rational rate);

}  // namespace s3d::media
