#include "core/value_parsers.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "core/errors.hpp"

namespace s3d {
namespace {

[[noreturn]] void refuse(std::string_view option, const char* expected, std::string_view text, const char* why = "") {
  throw UsageError(std::string(option) + ": expected " + expected + ", got '" + std::string(text) + "'" + why);
}

}  // namespace

int64_t parse_integer(std::string_view text, std::string_view option) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) refuse(option, "an integer", text, " (too large)");
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) refuse(option, "an integer", text);
  return value;
}

uint64_t parse_unsigned(std::string_view text, std::string_view option) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) refuse(option, "a non-negative integer", text, " (too large)");
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    refuse(option, "a non-negative integer", text);
  return value;
}

double parse_real(std::string_view text, std::string_view option) {
  double value = 0;
  // from_chars rejects a leading '+', which people type: allow exactly one.
  std::string_view digits = text.size() > 1 && text[0] == '+' && text[1] != '-' ? text.substr(1) : text;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range) refuse(option, "a number", text, " (out of range)");
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) refuse(option, "a number", text);
  if (!std::isfinite(value)) refuse(option, "a finite number", text);
  return value;
}

std::string format_real(double value) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

std::string format_real(float value) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

}  // namespace s3d
