#include "media/rational.hpp"

#include <charconv>
#include <numeric>

#include "core/errors.hpp"

namespace s3d::media {
namespace {

std::optional<int64_t> parse_digits(std::string_view text) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Rational> parse_rational(std::string_view text) {
  Rational r;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    auto num = parse_digits(text.substr(0, slash)), den = parse_digits(text.substr(slash + 1));
    if (!num || !den) return std::nullopt;
    r = {*num, *den};
  } else if (auto dot = text.find('.'); dot != std::string_view::npos) {
    const auto whole = text.substr(0, dot), fraction = text.substr(dot + 1);
    if (fraction.size() > 9) return std::nullopt;
    auto w = whole.empty() ? std::optional<int64_t>(0) : parse_digits(whole);
    auto f = fraction.empty() ? std::optional<int64_t>(0) : parse_digits(fraction);
    if (!w || !f || (whole.empty() && fraction.empty())) return std::nullopt;
    int64_t scale = 1;
    for (size_t i = 0; i < fraction.size(); ++i) scale *= 10;
    r = {*w * scale + *f, scale};
  } else {
    auto whole = parse_digits(text);
    if (!whole) return std::nullopt;
    r = {*whole, 1};
  }
  if (!r.valid()) return std::nullopt;
  const int64_t g = std::gcd(r.num, r.den);
  return Rational{r.num / g, r.den / g};
}

Rational parse_frame_rate(std::string_view text, const std::string& option) {
  const auto rate = parse_rational(text);
  if (!rate || rate->value() > kMaxFrameRate)
    throw UsageError(option + ": expected a rate such as 24000/1001 or 25, above 0 and at most " +
                     std::to_string(static_cast<int>(kMaxFrameRate)) + " fps, got '" + std::string(text) + "'");
  return *rate;
}

double frame_time(double origin, int64_t index, Rational rate) {
  return origin + static_cast<double>(index) * static_cast<double>(rate.den) / static_cast<double>(rate.num);
}

}  // namespace s3d::media
