// Reading option values from text with messages that name the option: every number an s3d
// tool accepts goes through here, so "nan", "inf", "", "1e999" or "12abc" are refused the
// same way everywhere ("--parallax: expected a number, got 'nan'").
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace s3d {

// A whole decimal number that fits int64 (optional leading '-'); UsageError naming `option`.
int64_t parse_integer(std::string_view text, std::string_view option);
// The same for unsigned 64-bit values (seeds).
uint64_t parse_unsigned(std::string_view text, std::string_view option);
// A finite decimal number ("15", "0.5", "-2", "1e-3"); NaN, infinities, overflow and trailing
// characters are refused with a UsageError naming `option`.
double parse_real(std::string_view text, std::string_view option);

// Shortest text that reads back as the same value ("0.05", not "0.050000"; a float 0.1 as "0.1").
std::string format_real(double value);
std::string format_real(float value);

}  // namespace s3d
